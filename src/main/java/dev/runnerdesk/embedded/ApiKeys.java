package dev.runnerdesk.embedded;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.store.ApiKeyStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateway API keys of a data directory, and the audit trail of failed authentications. */
public final class ApiKeys {
    private final EmbeddedRuntime rt;
    private final ApiKeyStore store = new ApiKeyStore();

    ApiKeys(EmbeddedRuntime runtime) {
        this.rt = runtime;
    }

    /** A new key for {@code name}; the returned string is the only copy. */
    public String create(String name, Role role) {
        return rt.db.write(c -> store.create(c, name, role, rt.now()));
    }

    public void register(String key, String name, Role role) {
        rt.db.write(c -> {
            store.register(c, key, name, role, rt.now());
            return null;
        });
    }

    public Optional<Principal> find(String key) {
        // every request of `serve` asks: it need not wait for a commit in progress
        return rt.db.snapshotRead(c -> store.find(c, key));
    }

    public List<ApiKeyStore.KeyInfo> list() {
        return rt.db.read(store::list);
    }

    public boolean revoke(String name) {
        return rt.db.write(c -> store.revoke(c, name, rt.now()));
    }

    /** Records a refused authentication; the key itself never enters the event, only its fingerprint. */
    public void recordDenied(String reason, Optional<String> key, String path) {
        rt.write(tx -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", reason);
            data.put("path", path);
            key.ifPresent(k -> data.put("key_fingerprint", ApiKeyStore.fingerprint(k)));
            tx.event(EventTypes.AUTH_DENIED, null, null, new Principal("anonymous", Role.VIEWER), data);
            return null;
        });
    }
}

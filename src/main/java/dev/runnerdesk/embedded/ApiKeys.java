package dev.runnerdesk.embedded;

import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.store.ApiKeyStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The gateway API keys of a data directory, and the audit trail of failed authentications. */
public final class ApiKeys {
    private final EmbeddedRuntime rt;
    private final ApiKeyStore store = new ApiKeyStore();
    /** Keys accepted until this runtime closes, by their hash; neither they nor their hashes are ever written. */
    private final Map<String, ApiKeyStore.KeyInfo> runOnly = new ConcurrentHashMap<>();
    private final DeniedAuthentications denials;

    ApiKeys(EmbeddedRuntime runtime) {
        this.rt = runtime;
        this.denials = new DeniedAuthentications(runtime);
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

    /** Accepts {@code key} as {@code name} until this runtime closes, without storing anything (e.g. {@code serve --api-key}). */
    public void acceptForThisRun(String key, String name, Role role) {
        ApiKeyStore.checkName(name);
        runOnly.put(ApiKeyStore.hash(key), new ApiKeyStore.KeyInfo(name, role, rt.now(), ApiKeyStore.fingerprint(key)));
    }

    public Optional<Principal> find(String key) {
        ApiKeyStore.KeyInfo forThisRun = runOnly.get(ApiKeyStore.hash(key));
        if (forThisRun != null) {
            return Optional.of(new Principal(forThisRun.name(), forThisRun.role()));
        }
        // every request of `serve` asks: it need not wait for a commit in progress
        return rt.db.snapshotRead(c -> store.find(c, key));
    }

    /** Stored keys, then those accepted for this run only. */
    public List<ApiKeyStore.KeyInfo> list() {
        List<ApiKeyStore.KeyInfo> keys = new ArrayList<>(rt.db.read(store::list));
        keys.addAll(runOnly.values());
        return keys;
    }

    public boolean revoke(String name) {
        return rt.db.write(c -> store.revoke(c, name, rt.now()));
    }

    /**
     * Records a refused authentication from {@code clientAddress}, coalesced per address and reason (see
     * {@link DeniedAuthentications}); the key itself never enters the event, only its fingerprint.
     */
    public void recordDenied(String clientAddress, String reason, Optional<String> key, String path) {
        denials.record(clientAddress, reason, key.map(ApiKeyStore::fingerprint), path);
    }

    void flushEndedDenials() {
        denials.flushEnded();
    }

    void flushAllDenials() {
        denials.flushAll();
    }
}

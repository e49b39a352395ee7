package dev.runnerdesk.core;

import java.util.List;

/**
 * The saved gateway profiles as the text the settings keep, and back; never a key (keys live in the
 * {@link SecretStore}). The composition root hands the app the program's wire format, so the UI needs no JSON library.
 */
public interface ConnectionProfileCodec {
    /** "This computer" first, then the saved gateway profiles; a damaged entry is skipped, not fatal. */
    List<ConnectionProfile> decode(String saved);

    /** The gateway profiles; the embedded one is implied and never written. */
    String encode(List<ConnectionProfile> profiles);
}

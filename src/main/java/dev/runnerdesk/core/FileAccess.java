package dev.runnerdesk.core;

/**
 * What a tool profile allows with its runners' workspace files: whether viewers may download them (they may always
 * list them; operators and admins may also write), and the largest upload. Auditors read as viewers do.
 */
public record FileAccess(boolean viewersDownload, int maxUploadMib) {
    public static final LimitRange MAX_UPLOAD = new LimitRange("max_upload_mib", 1, 65_536, "MiB");
    /** The file access of a profile saved before it existed. */
    public static final FileAccess DEFAULT = new FileAccess(true, 1024);

    public void validate(String prefix) {
        MAX_UPLOAD.check(prefix, maxUploadMib);
    }

    public long maxUploadBytes() {
        return maxUploadMib * 1024L * 1024;
    }

    /** Whether {@code role} may download (read) a workspace file. */
    public boolean mayDownload(Role role) {
        return viewersDownload || role.may(Role.Permission.OPERATE) || role.may(Role.Permission.ADMINISTER);
    }
}

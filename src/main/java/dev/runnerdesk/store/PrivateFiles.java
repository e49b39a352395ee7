package dev.runnerdesk.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Folders (0700) and files (0600) that only their owner may open, given those permissions as they are created, so
 * there is no moment in which another user could open them. On a file system without POSIX permissions (Windows)
 * they are created plainly: there the user's profile folder is already private.
 */
public final class PrivateFiles {
    private static final System.Logger LOG = System.getLogger(PrivateFiles.class.getName());
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /** Creates {@code dir} and any missing parent as 0700; an existing folder is left as it is. */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        return posix(dir) ? Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER))
                : Files.createDirectories(dir);
    }

    /** Creates {@code file} as an empty 0600 file unless it exists. */
    public static void createFileIfMissing(Path file) throws IOException {
        try {
            Files.createFile(file, fileAttributes(file));
        } catch (FileAlreadyExistsException exists) {
            // kept as it is; the data directory's start-up check tightens what earlier versions left
        }
    }

    /** Opens a new 0600 file for writing; fails if it exists. */
    public static OutputStream newFile(Path file) throws IOException {
        return Channels.newOutputStream(Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttributes(file)));
    }

    /**
     * Takes group and other permissions away from {@code path} (never following a symbolic link), logging what it
     * changed. Returns whether it changed anything.
     */
    static boolean tighten(Path path) throws IOException {
        if (!posix(path)) {
            return false;
        }
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> before = attributes.permissions();
        if (attributes.isSymbolicLink() || before.stream().noneMatch(GROUP_AND_OTHERS::contains)) {
            return false;
        }
        Set<PosixFilePermission> after = EnumSet.copyOf(before);
        after.removeAll(GROUP_AND_OTHERS);
        Files.setPosixFilePermissions(path, after);
        LOG.log(System.Logger.Level.INFO, "made " + path + " private to its owner: " + PosixFilePermissions.toString(before)
                + " -> " + PosixFilePermissions.toString(after));
        return true;
    }

    private static FileAttribute<?>[] fileAttributes(Path file) {
        return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

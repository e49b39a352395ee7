package dev.runnerdesk.store;

import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.SecretStore;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * API keys in a plain-text file only its owner can read — the explicit opt-in for machines that will never have a
 * keychain, as {@code git credential-store} keeps one. The file is 0600 in a 0700 folder (on Windows: an ACL that
 * names only its owner); one that others could open is refused, as ssh refuses a private key others can read, and
 * is never loosened or tightened behind the person's back. Every change is written to a new private file that then
 * replaces the old one, so a crash leaves the old keys or the new ones. Nothing read here is ever logged.
 */
public final class FileSecretStore implements SecretStore {
    /** The file's name in the data directory. */
    public static final String FILE_NAME = "credentials";
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final String HEADER = " RunnerDesk API keys in plain text (opted in: Settings > Where keys are kept,"
            + " or RUNNERDESK_KEY_STORE=file). Keep this file private (0600).";
    private final Path file;

    private FileSecretStore(Path file) {
        this.file = file;
    }

    /** A store, or why the file cannot be used. */
    public record Opened(Optional<FileSecretStore> store, String reason) {
    }

    /**
     * Opens {@code file}, creating it (0600, and its folder 0700) if missing. Refuses a file or folder that others may
     * open, a file that is a link or not the user's, and a file system that cannot make a file private.
     */
    public static Opened open(Path file) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            if (!Files.exists(folder)) {
                PrivateFiles.createDirectories(folder);
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                write(file, new TreeMap<>());
            }
            Optional<String> problem = problem(file);
            return problem.map(p -> new Opened(Optional.empty(), p))
                    .orElseGet(() -> new Opened(Optional.of(new FileSecretStore(file)), ""));
        } catch (IOException | RuntimeException e) {
            return new Opened(Optional.empty(), "cannot use the key file " + file + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Why {@code file} may not hold keys, if it may not: as ssh says of a private key others can read, with the
     * command that fixes it.
     */
    public static Optional<String> problem(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (PrivateFiles.posix(file)) {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.of("the key file " + file + " is not a plain file (a link or a folder): keys are not kept there");
            }
            String me = System.getProperty("user.name");
            if (me != null && !attributes.owner().getName().equals(me)) {
                return Optional.of("the key file " + file + " belongs to " + attributes.owner().getName() + ", not to "
                        + me + ": keys are not kept there");
            }
            if (attributes.permissions().stream().anyMatch(GROUP_AND_OTHERS::contains)) {
                return Optional.of("the key file " + file + " is too open (" + PosixFilePermissions.toString(attributes
                        .permissions()) + "): others could read the keys, so it is not used. Run: chmod 600 " + file);
            }
            Set<PosixFilePermission> folderModes = Files.getPosixFilePermissions(folder);
            if (folderModes.stream().anyMatch(GROUP_AND_OTHERS::contains)) {
                return Optional.of("the folder of the key file, " + folder + ", is too open (" + PosixFilePermissions
                        .toString(folderModes) + "), so the key file is not used. Run: chmod 700 " + folder);
            }
            return Optional.empty();
        }
        AclFileAttributeView acl = Files.getFileAttributeView(file, AclFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (acl == null) {
            return Optional.of("this file system cannot make a file private to you, so keys are not kept in " + file);
        }
        UserPrincipal owner = acl.getOwner();
        for (AclEntry entry : acl.getAcl()) {
            if (entry.type() == AclEntryType.ALLOW && !entry.principal().equals(owner)) {
                return Optional.of("the key file " + file + " can be opened by " + entry.principal().getName()
                        + " as well as by you, so it is not used. Delete it and opt in again.");
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<String> get(String name) {
        return Optional.ofNullable(read().get(name));
    }

    @Override
    public synchronized void put(String name, String secret) {
        Map<String, String> keys = read();
        keys.put(name, secret);
        save(keys);
    }

    @Override
    public synchronized void delete(String name) {
        Map<String, String> keys = read();
        if (keys.remove(name) != null) {
            save(keys);
        }
    }

    /** Every key kept, by name (to move them when the person chooses another place). */
    public synchronized Map<String, String> all() {
        return read();
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public Optional<String> limitation() {
        return Optional.empty();
    }

    /** Reads the keys, checking the file again first: permissions changed since it was opened are noticed. */
    private Map<String, String> read() {
        try {
            Optional<String> problem = problem(file);
            if (problem.isPresent()) {
                throw new RunnerException.Unavailable(problem.get());
            }
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            Map<String, String> keys = new TreeMap<>();
            p.stringPropertyNames().forEach(n -> keys.put(n, p.getProperty(n)));
            return keys;
        } catch (IOException e) {
            // the message names the file and the failure, never the file's contents
            throw new RunnerException.Unavailable("cannot read the key file " + file + ": " + e.getMessage(), e);
        }
    }

    private void save(Map<String, String> keys) {
        try {
            write(file, keys);
        } catch (IOException e) {
            throw new RunnerException.Unavailable("cannot write the key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a new private file beside {@code file} and moves it over {@code file} in one step. */
    private static void write(Path file, Map<String, String> keys) throws IOException {
        Properties p = new Properties();
        p.putAll(keys);
        StringWriter text = new StringWriter();
        p.store(text, HEADER);
        Path tmp = file.resolveSibling(file.getFileName() + ".new-" + UUID.randomUUID());
        try {
            try (OutputStream out = newPrivateFile(tmp)) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new file that only its owner may open: 0600, or on Windows an ACL naming only the owner. */
    private static OutputStream newPrivateFile(Path file) throws IOException {
        if (PrivateFiles.posix(file)) {
            return PrivateFiles.newFile(file);
        }
        OutputStream out = Channels.newOutputStream(Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)));
        AclFileAttributeView acl = Files.getFileAttributeView(file, AclFileAttributeView.class);
        if (acl == null) {
            out.close();
            Files.deleteIfExists(file);
            throw new IOException("this file system cannot make a file private to you");
        }
        UserPrincipal owner = acl.getOwner();
        acl.setAcl(List.of(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build()));
        return out;
    }

    /** Deletes the file (the person no longer keeps keys there). */
    public static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }
}

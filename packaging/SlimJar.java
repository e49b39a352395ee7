import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Drops the native libraries of other platforms from a jar, for an installer of one platform.
 * Usage: java packaging/SlimJar.java JAR DROP_REGEX KEEP_REGEX — an entry is dropped when it matches
 * DROP_REGEX and not KEEP_REGEX. Run with the JDK's source launcher; it is not part of the app.
 */
public final class SlimJar {
    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Pattern drop = Pattern.compile(args[1]);
        Pattern keep = Pattern.compile(args[2]);
        Path slim = Files.createTempFile(jar.getParent(), "slim", ".jar");
        long before = Files.size(jar);
        int dropped = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(slim))) {
            for (var entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                if (drop.matcher(e.getName()).matches() && !keep.matcher(e.getName()).matches()) {
                    dropped++;
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.move(slim, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("%s: dropped %d entries, %,d -> %,d bytes%n", jar.getFileName(), dropped, before, Files.size(jar));
    }
}

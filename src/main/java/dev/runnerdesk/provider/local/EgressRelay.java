package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.RunnerException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** The egress proxy's way into a sandbox's network for an ordinary user, who may not join it from this process. */
final class EgressRelay {
    private static final ExecutorService READER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runnerdesk-egress-relay-reader");
        t.setDaemon(true);
        return t;
    });

    private EgressRelay() {
    }

/**
 * For an ordinary user: a small relay that joins the sandbox's user and network namespaces listens on the
 * sandbox's 127.0.0.1:{@value EgressProxy#PORT} and hands each connection to this
 * process over a UNIX socket in the runner's folder, where the same proxy serves it. The relay is Python
 * (nothing else that ships with a desktop Linux can listen on TCP); it dies with RunnerDesk.
 */
static EgressProxy.Listener open(long child, Path socketDir, Consumer<ProxyClient> serve) {
    Path python = Bubblewrap.findProgram("python3").orElseThrow(() -> new RunnerException.Unavailable(
            "the egress proxy of a web_automation runner needs python3 when RunnerDesk does not run as root"
                    + " (install python3, e.g. sudo apt-get install python3)"));
    EgressProxy.Listener listener = new EgressProxy.Listener();
    try {
        Path socket = socketDir.resolve("e" + Long.toString(child, 36) + ".sock"); // a UNIX socket path is short (108 bytes)
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 64);
        listener.server = server;
        listener.socket = socket;
        ProcessBuilder builder = new ProcessBuilder(python.toString(), "-I", "-S", "-c", RELAY, Long.toString(child),
                socket.toString(), Integer.toString(EgressProxy.PORT)).redirectErrorStream(true);
        builder.environment().clear();
        Process relay = Spawner.spawn(builder::start);
        listener.relay = relay;
        String said = readLine(relay.getInputStream(), 10_000);
        if (!"ready".equals(said)) {
            throw new RunnerException.Unavailable("the egress relay did not start" + (said == null || said.isBlank() ? "" : ": " + said));
        }
        Thread acceptor = new Thread(() -> {
            try {
                while (server.isOpen()) {
                    SocketChannel client = server.accept();
                    serve.accept(ProxyClient.of(client));
                }
            } catch (IOException e) {
                // closed: the sandbox ended
            }
        }, "runnerdesk-egress-relay-" + child);
        acceptor.setDaemon(true);
        acceptor.start();
        listener.dispatcher = acceptor;
        return listener;
    } catch (IOException | RuntimeException e) {
        listener.close();
        throw e instanceof RunnerException r ? r : new RunnerException.Unavailable("the egress proxy could not start: " + e.getMessage());
    }
}

/** A line the relay prints, or null when it ends or says nothing within {@code millis}. */
private static String readLine(InputStream in, long millis) throws IOException {
    Future<String> line = READER.submit(() -> {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && b.size() < 4096) {
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8).strip();
    });
    try {
        return line.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
        line.cancel(true);
        return null;
    } catch (ExecutionException e) {
        throw new IOException(e.getCause());
    } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
    }
}

/**
 * The relay: accepts on the sandbox's 127.0.0.1:PORT, and pipes each connection to the UNIX socket of the
 * proxy. It asks the kernel to kill it when the thread that started it ends (PR_SET_PDEATHSIG).
 */
private static final String RELAY = String.join("\n",
        "import ctypes, fcntl, os, socket, sys, threading",
        "libc = ctypes.CDLL(None, use_errno=True)",
        "libc.prctl(1, 9)",
        "pid, path, port = sys.argv[1], sys.argv[2], int(sys.argv[3])",
        // the sandbox's network is owned by the user namespace bubblewrap made (the command runs in one nested
        // below it): join that owner (NS_GET_USERNS), then the network; still single-threaded, as setns needs
        "net = os.open('/proc/%s/ns/net' % pid, os.O_RDONLY)",
        "owner = fcntl.ioctl(net, 0xb701)",
        "if libc.setns(owner, 0x10000000) != 0 or libc.setns(net, 0x40000000) != 0:",
        "    e = ctypes.get_errno()",
        "    print('cannot join the sandbox network: ' + os.strerror(e), flush=True)",
        "    sys.exit(1)",
        "srv = socket.socket()",
        "srv.bind(('127.0.0.1', port))",
        "srv.listen(64)",
        "print('ready', flush=True)",
        "def pump(a, b):",
        "    try:",
        "        while True:",
        "            d = a.recv(65536)",
        "            if not d:",
        "                break",
        "            b.sendall(d)",
        "    except OSError:",
        "        pass",
        "    try:",
        "        b.shutdown(socket.SHUT_WR)",
        "    except OSError:",
        "        pass",
        "def serve(c):",
        "    u = socket.socket(socket.AF_UNIX)",
        "    try:",
        "        u.connect(path)",
        "    except OSError:",
        "        c.close()",
        "        return",
        "    threading.Thread(target=pump, args=(u, c), daemon=True).start()",
        "    pump(c, u)",
        "while True:",
        "    c, _ = srv.accept()",
        "    threading.Thread(target=serve, args=(c,), daemon=True).start()",
        "");
}

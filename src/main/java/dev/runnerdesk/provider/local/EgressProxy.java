package dev.runnerdesk.provider.local;

import com.sun.jna.Native;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.policy.EgressRule;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The only way out of a {@code web_automation} sandbox: an HTTP proxy (CONNECT and plain HTTP) that lets
 * through what the egress allowlist allows and refuses, and reports, the rest. The sandbox has its own
 * network namespace with nothing but loopback; the proxy's listener is opened <em>inside</em> it, on
 * 127.0.0.1:{@value #PORT}, by a thread that joins that namespace with setns(2) — so the sandbox can reach
 * the proxy and nothing else — while the upstream connections are made from this process's own network.
 */
final class EgressProxy {
    static final int PORT = 3128;
    private static final System.Logger LOG = System.getLogger(EgressProxy.class.getName());
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** Reports a refused connection: host and port, never a URL path or header. */
    @FunctionalInterface
    interface BlockedListener {
        void blocked(String host, int port);
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService PIPES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runnerdesk-egress-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private EgressProxy() {
    }

    /** A listener serving one sandbox; close it when the sandbox ends. */
    static final class Listener implements AutoCloseable {
        volatile Closeable server;
        volatile Thread dispatcher;
        volatile Process relay;
        volatile Path socket;

        @Override
        public void close() {
            Thread d = dispatcher;
            if (d != null) {
                d.interrupt();
            }
            Closeable s = server;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            Process r = relay;
            if (r != null) {
                r.destroyForcibly();
            }
            Path f = socket;
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // its folder may be gone already
                }
            }
        }
    }

    /**
     * Opens the proxy inside the network namespace of the sandbox process {@code bwrapPid} (bubblewrap's
     * child is found under it) and returns once it accepts connections.
     */
    static Listener open(long bwrapPid, List<EgressRule> rules, BlockedListener onBlocked, Path socketDir) {
        long child = childOf(bwrapPid);
        try {
            return joined(child, rules, onBlocked);
        } catch (NotPermitted e) {
            // an ordinary user may not join another network namespace from this (multi-threaded) process
            return EgressRelay.open(child, socketDir, client -> PIPES.execute(() -> serve(client, rules, onBlocked)));
        }
    }

    /** setns(2) refused: this process lacks CAP_SYS_ADMIN in its own user namespace (it is not root). */
    private static final class NotPermitted extends Exception {
    }


    /** The listener opened inside the sandbox's network by a thread of this process that joined it (possible as root). */
    private static Listener joined(long child, List<EgressRule> rules, BlockedListener onBlocked) throws NotPermitted {
        Listener listener = new Listener();
        CountDownLatch ready = new CountDownLatch(1);
        // threads inherit the network namespace of the thread that starts them: the connections are served
        // by threads this (host-side) dispatcher starts, never by the listener, which lives in the sandbox
        BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        Thread dispatcher = new Thread(() -> {
            try {
                while (true) {
                    Socket client = accepted.take();
                    PIPES.execute(() -> serve(ProxyClient.of(client), rules, onBlocked));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "runnerdesk-egress-dispatch-" + child);
        dispatcher.setDaemon(true);
        dispatcher.start();
        listener.dispatcher = dispatcher;
        RunnerException[] failure = new RunnerException[1];
        boolean[] notPermitted = new boolean[1];
        Thread thread = new Thread(() -> {
            try {
                LibC libc = LibC.get();
                int fd = libc.open("/proc/" + child + "/ns/net", 0);
                if (fd < 0 || libc.setns(fd, CLONE_NEWNET) != 0) {
                    int errno = Native.getLastError();
                    if (fd >= 0) {
                        libc.close(fd);
                    }
                    notPermitted[0] = errno == LibC.EPERM;
                    throw new IOException("cannot join the sandbox's network namespace (errno " + errno + ")");
                }
                libc.close(fd);
                // this thread now lives in the sandbox's network: the socket is the sandbox's 127.0.0.1:3128
                ServerSocket server = new ServerSocket();
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 64);
                listener.server = server;
                ready.countDown();
                while (!server.isClosed()) {
                    accepted.add(server.accept());
                }
            } catch (IOException | RuntimeException e) {
                if (ready.getCount() > 0) {
                    failure[0] = new RunnerException.Unavailable("the egress proxy could not start: " + e.getMessage());
                    ready.countDown();
                }
            }
        }, "runnerdesk-egress-listener-" + child);
        thread.setDaemon(true);
        thread.start();
        try {
            if (!ready.await(10, TimeUnit.SECONDS)) {
                throw new RunnerException.Unavailable("the egress proxy did not start in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException.Unavailable("interrupted while starting the egress proxy");
        }
        if (failure[0] != null) {
            listener.close();
            if (notPermitted[0]) {
                throw new NotPermitted();
            }
            throw failure[0];
        }
        return listener;
    }

    /** Bubblewrap's child: the sandbox's first process, already in its namespaces. */
    private static long childOf(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            // the launcher's shell becomes bubblewrap; until it has, its children (mount) are not the sandbox
            if (!isBubblewrap(pid)) {
                if (!pause()) {
                    break;
                }
                continue;
            }
            Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
            try {
                String text = Files.readString(children).trim();
                if (!text.isEmpty()) {
                    return Long.parseLong(text.split("\\s+")[0]);
                }
            } catch (IOException | NumberFormatException e) {
                // not there yet, or the kernel lacks the children file: fall through to the scan
            }
            try (var dirs = Files.list(Path.of("/proc"))) {
                var found = dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                        .filter(n -> parentOf(n) == pid).findFirst();
                if (found.isPresent()) {
                    return Long.parseLong(found.get());
                }
            } catch (IOException ignored) {
                // try again
            }
            if (!pause()) {
                break;
            }
        }
        throw new RunnerException.Unavailable("the sandbox did not start (no process under bubblewrap " + pid + ")");
    }

    private static boolean isBubblewrap(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim().equals("bwrap");
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits a moment before looking again; false when interrupted. */
    private static boolean pause() {
        try {
            Thread.sleep(5);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long parentOf(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static void serve(ProxyClient client, List<EgressRule> rules, BlockedListener onBlocked) {
        try (client) {
            client.timeout(30_000);
            InputStream in = client.in();
            OutputStream out = client.out();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            if (requestLine.length != 3) {
                respond(out, 400, "not an HTTP proxy request");
                return;
            }
            String method = requestLine[0].toUpperCase(Locale.ROOT);
            Target target = method.equals("CONNECT") ? Target.ofAuthority(requestLine[1], 443) : Target.ofUrl(requestLine[1]);
            if (target == null) {
                respond(out, 400, "the proxy needs an absolute URL or CONNECT host:port");
                return;
            }
            if (!EgressRule.anyAllows(rules, target.host, target.port)) {
                onBlocked.blocked(target.host, target.port);
                respond(out, 403, "blocked by the runner's egress allowlist: " + target.host + ":" + target.port);
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(new InetSocketAddress(target.host, target.port), 10_000);
                client.timeout(0);
                if (method.equals("CONNECT")) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else {
                    upstream.getOutputStream().write(originForm(head, method, target).getBytes(StandardCharsets.ISO_8859_1));
                }
                var upward = PIPES.submit(() -> pipe(in, upstream.getOutputStream(), upstream::shutdownOutput));
                pipe(upstream.getInputStream(), out, client::shutdownOutput);
                upward.cancel(true);
            } catch (IOException e) {
                respond(out, 502, "cannot reach " + target.host + ":" + target.port + ": " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "egress connection ended", e);
        }
    }

    private record Target(String host, int port, String path) {
        static Target ofAuthority(String authority, int defaultPort) {
            String host = authority;
            int port = defaultPort;
            int colon = authority.lastIndexOf(':');
            if (colon > 0 && authority.indexOf(']') < colon) {
                host = authority.substring(0, colon);
                try {
                    port = Integer.parseInt(authority.substring(colon + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return host.isEmpty() || port < 1 || port > 65535 ? null : new Target(host, port, "/");
        }

        static Target ofUrl(String url) {
            if (!url.regionMatches(true, 0, "http://", 0, 7)) {
                return null; // https goes through CONNECT; anything else is not for a proxy
            }
            String rest = url.substring(7);
            int slash = rest.indexOf('/');
            Target t = ofAuthority(slash < 0 ? rest : rest.substring(0, slash), 80);
            return t == null ? null : new Target(t.host, t.port, slash < 0 ? "/" : rest.substring(slash));
        }
    }

    /** The request as the origin expects it: path only, no proxy headers, one request per connection. */
    private static String originForm(String head, String method, Target target) {
        StringBuilder out = new StringBuilder(method).append(' ').append(target.path).append(" HTTP/1.1\r\n");
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (line.isEmpty() || line.equals(head.substring(0, head.indexOf("\r\n"))) || lower.startsWith("proxy-")
                    || lower.startsWith("connection:")) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int matched = 0;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > MAX_HEAD_BYTES) {
                return null;
            }
        }
        return null;
    }

    /** Half-closes one side of a connection once the other side has said all. */
    private interface Shutdown {
        void shutdownOutput() throws IOException;
    }

    private static Void pipe(InputStream from, OutputStream to, Shutdown closeWhenDone) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // either side closed
        } finally {
            try {
                closeWhenDone.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
        return null;
    }

    private static void respond(OutputStream out, int status, String message) throws IOException {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            default -> "Bad Gateway";
        };
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }
}

package dev.runnerdesk.policy;

import dev.runnerdesk.core.RunnerException.InvalidRequest;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of an egress allowlist: {@code host}, {@code *.domain} (any subdomain, not the domain
 * itself), an IP address, or a CIDR block, optionally with {@code :port}; no port means every port.
 * IPv6 addresses go in brackets: {@code [2001:db8::1]:443}, {@code [2001:db8::]/32}.
 */
public record EgressRule(String text, Kind kind, String host, Optional<BigInteger> network, int prefix, Optional<Integer> port) {
    public enum Kind { HOST, WILDCARD, CIDR }

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Parses an entry, with a message naming what is wrong for anything else. */
    public static EgressRule parse(String entry) {
        String raw = entry == null ? "" : entry.trim();
        if (raw.isEmpty()) {
            throw invalid(entry, "is empty");
        }
        String hostPart = raw;
        Optional<Integer> port = Optional.empty();
        int colon = raw.startsWith("[") ? raw.indexOf(':', Math.max(raw.indexOf(']'), 0)) : raw.lastIndexOf(':');
        if (raw.startsWith("[") && raw.indexOf(']') < 0) {
            throw invalid(raw, "opens a bracket it does not close");
        }
        if (!raw.startsWith("[") && raw.indexOf(':') != raw.lastIndexOf(':')) {
            throw invalid(raw, "looks like an IPv6 address: put it in brackets, e.g. [2001:db8::1]:443");
        }
        if (colon > 0) {
            hostPart = raw.substring(0, colon);
            String p = raw.substring(colon + 1);
            try {
                int n = Integer.parseInt(p);
                if (n < 1 || n > 65535) {
                    throw invalid(raw, "has port " + n + "; ports are 1–65535");
                }
                port = Optional.of(n);
            } catch (NumberFormatException e) {
                throw invalid(raw, "has a port that is not a number: \"" + p + "\"");
            }
        }
        if (hostPart.startsWith("[")) {
            hostPart = hostPart.substring(1, hostPart.indexOf(']')) + hostPart.substring(hostPart.indexOf(']') + 1);
        }
        String host = hostPart.toLowerCase(Locale.ROOT);
        int slash = host.indexOf('/');
        if (slash >= 0) {
            byte[] address = literal(host.substring(0, slash)).orElseThrow(() -> invalid(raw, "has a / but no IP address before it"));
            int prefix;
            try {
                prefix = Integer.parseInt(host.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(raw, "has a prefix length that is not a number");
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw invalid(raw, "has prefix /" + prefix + "; it must be 0–" + address.length * 8);
            }
            return new EgressRule(raw, Kind.CIDR, host, Optional.of(new BigInteger(1, address)), prefix, port);
        }
        Optional<byte[]> address = literal(host);
        if (address.isPresent()) {
            return new EgressRule(raw, Kind.CIDR, host, Optional.of(new BigInteger(1, address.get())), address.get().length * 8, port);
        }
        if (host.matches("[0-9.]+")) {
            throw invalid(raw, "is not a valid IPv4 address (each of the four numbers is 0–255)");
        }
        boolean wildcard = host.startsWith("*.");
        String name = wildcard ? host.substring(2) : host;
        if (name.contains("*")) {
            throw invalid(raw, "may only use * as its first label, as in *.example.com");
        }
        if (name.isEmpty() || name.length() > 253 || !List.of(name.split("\\.", -1)).stream().allMatch(l -> LABEL.matcher(l).matches())) {
            throw invalid(raw, "is not a host name, *.domain, IP address or CIDR block");
        }
        return new EgressRule(raw, wildcard ? Kind.WILDCARD : Kind.HOST, name, Optional.empty(), 0, port);
    }

    /** Whether a connection to {@code host:port} is allowed by this rule. */
    public boolean allows(String targetHost, int targetPort) {
        if (port.isPresent() && port.get() != targetPort) {
            return false;
        }
        String target = targetHost.toLowerCase(Locale.ROOT);
        if (target.startsWith("[") && target.endsWith("]")) {
            target = target.substring(1, target.length() - 1);
        }
        return switch (kind) {
            case HOST -> target.equals(host);
            case WILDCARD -> target.endsWith("." + host);
            case CIDR -> literal(target).filter(bytes -> bytes.length * 8 == bitLength()).map(bytes -> {
                int shift = bitLength() - prefix;
                return new BigInteger(1, bytes).shiftRight(shift).equals(network.orElseThrow().shiftRight(shift));
            }).orElse(false);
        };
    }

    private int bitLength() {
        return host.substring(0, host.contains("/") ? host.indexOf('/') : host.length()).contains(":") ? 128 : 32;
    }

    /** Whether any rule of the list allows {@code host:port}; an empty list allows nothing. */
    public static boolean anyAllows(List<EgressRule> rules, String host, int port) {
        return rules.stream().anyMatch(r -> r.allows(host, port));
    }

    /** The address bytes of an IP literal, without any name lookup. */
    private static Optional<byte[]> literal(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9a-f:.]+");
        if (!v4 && !v6) {
            return Optional.empty();
        }
        if (v4 && !List.of(text.split("\\.")).stream().allMatch(o -> Integer.parseInt(o) <= 255)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static InvalidRequest invalid(String entry, String what) {
        return new InvalidRequest("egress_allowlist", "egress_allowlist entry \"" + entry + "\" " + what);
    }
}

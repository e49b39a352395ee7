package dev.runnerdesk.core;

/**
 * The kinds of personal data and secrets the PII scanner (in the {@code policy} package, which core does not see)
 * finds in exec output, terminal recordings and event data; each has an action in {@link PiiSettings}.
 */
public enum PiiDetector {
    EMAIL("email", "E-mail addresses (local@domain.tld)"),
    PHONE("phone", "Phone numbers: +country code, or common national formats such as (555) 123-4567"),
    CREDIT_CARD("credit_card", "Payment card numbers of 13-19 digits that pass the Luhn check"),
    IBAN("iban", "Bank account numbers (IBAN) that pass the ISO 13616 mod-97 check"),
    API_KEY("api_key", "API keys and tokens: cm_sk_/cm_gw_/cm_rt_, sk-, GitHub, AWS access key ids, JWTs"),
    PRIVATE_KEY("private_key", "PEM and OpenSSH private key blocks, BEGIN through END");

    private final String wireName;
    private final String description;

    PiiDetector(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    /** The name in stored policies, in events and in the {@code [REDACTED:<name>]} marker. */
    public String wireName() {
        return wireName;
    }

    /** One line a person can read in the Policies view. */
    public String description() {
        return description;
    }

    public static PiiDetector fromWire(String value) {
        return WireNames.parse(values(), PiiDetector::wireName, "pii_detector", value, false);
    }

    @Override
    public String toString() {
        return wireName;
    }
}

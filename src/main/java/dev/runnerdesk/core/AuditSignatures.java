package dev.runnerdesk.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 (in every JDK since 15) for the audit trail's checkpoints. A public key is written as its 32 raw bytes in
 * base64url without padding (the {@code x} of an OKP JSON Web Key, RFC 8037), so any Ed25519 library takes it; its
 * id is the first 16 hex characters of SHA-256 of those bytes. Signatures are standard base64.
 */
public final class AuditSignatures {
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow it. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private AuditSignatures() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    /** The public key's 32 raw bytes, base64url without padding. */
    public static String encodePublic(PublicKey key) {
        byte[] der = key.getEncoded();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    /** Reads {@link #encodePublic}; throws IllegalArgumentException when it is not a 32-byte key. */
    public static PublicKey decodePublic(String encoded) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the public key is not base64url", e);
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes; this one is " + raw.length);
        }
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** The key's id: the first 16 hex characters of SHA-256 of its raw bytes. */
    public static String keyId(String encodedPublic) {
        byte[] raw = Base64.getUrlDecoder().decode(encodedPublic);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The public key in PEM (SubjectPublicKeyInfo), as {@code openssl pkey -pubin} reads it. */
    public static String pem(String encodedPublic) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(decodePublic(encodedPublic).getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** The private key as PKCS#8 DER in base64, to keep in the keychain or the key file. */
    public static String encodePrivate(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static PrivateKey decodePrivate(String encoded) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(encoded.trim())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the stored audit signing key is not an Ed25519 private key", e);
        }
    }

    public static String sign(PrivateKey key, String payload) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(payload.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign an audit checkpoint: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} (base64) is {@code key}'s Ed25519 signature of {@code payload}; false for malformed input. */
    public static boolean verify(PublicKey key, String payload, String signature) {
        try {
            byte[] raw = Base64.getDecoder().decode(signature);
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(payload.getBytes(StandardCharsets.UTF_8));
            return s.verify(raw);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}

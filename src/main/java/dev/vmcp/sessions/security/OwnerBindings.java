package dev.vmcp.sessions.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Binds sessions to their owner without storing who the owner is: the binding is the
 * HMAC-SHA256 of {@code issuer \0 subject} under a secret shared by all pods. It survives
 * token refreshes (unlike a token hash) and reveals no identity if the store leaks.
 */
public final class OwnerBindings {

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec key;

	public OwnerBindings(byte[] secret) {
		if (secret.length == 0) {
			throw new IllegalArgumentException("secret must not be empty");
		}
		this.key = new SecretKeySpec(secret, ALGORITHM);
	}

	/** The binding of the identity ({@code issuer}, {@code subject}). */
	public String bind(String issuer, String subject) {
		byte[] identity = (issuer + '\0' + subject).getBytes(StandardCharsets.UTF_8);
		return "hmac:" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac().doFinal(identity));
	}

	private Mac mac() {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac;
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is unavailable", ex);
		}
	}

}

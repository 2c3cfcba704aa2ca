package dev.vmcp.sessions.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Binds sessions to their owner without storing who the owner is: the binding is the
 * HMAC-SHA256 of {@code issuer \0 subject} under a secret shared by all pods. It survives
 * token refreshes (unlike a token hash) and reveals no identity if the store leaks.
 * <p>
 * Bindings computed are remembered (a bounded number, least recently used first out): a
 * caller's binding is needed on every request, and it never changes.
 */
public final class OwnerBindings {

	private static final String ALGORITHM = "HmacSHA256";

	/** Identities whose binding is remembered at most. */
	static final int REMEMBERED_IDENTITIES = 10_000;

	private final SecretKeySpec key;

	private final Cache<String, String> bindings = Caffeine.newBuilder().maximumSize(REMEMBERED_IDENTITIES).build();

	public OwnerBindings(byte[] secret) {
		if (secret.length == 0) {
			throw new IllegalArgumentException("secret must not be empty");
		}
		this.key = new SecretKeySpec(secret, ALGORITHM);
	}

	/** The binding of the identity ({@code issuer}, {@code subject}). */
	public String bind(String issuer, String subject) {
		return this.bindings.get(issuer + '\0' + subject, this::computeBinding);
	}

	/**
	 * A signature of {@code data} for one {@code purpose}, under the same secret: what
	 * every pod computes alike, for ids and states the gateway hands out and must
	 * recognize on any pod. The purpose keeps one use's signatures from passing for
	 * another's.
	 */
	public String sign(String purpose, String data) {
		byte[] bytes = (purpose + '\0' + data).getBytes(StandardCharsets.UTF_8);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(mac().doFinal(bytes));
	}

	private String computeBinding(String identity) {
		byte[] bytes = identity.getBytes(StandardCharsets.UTF_8);
		return "hmac:" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac().doFinal(bytes));
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

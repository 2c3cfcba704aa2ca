package dev.vmcp.sessions.mcp.bridge;

import java.util.Map;

/**
 * What the store keeps of a parked call for the pod that resumes it: nothing the client
 * sees.
 *
 * @param member the member that asked
 * @param session the caller session the member is reached through (its backend session is
 * the one the answers go to)
 * @param holder the pod that holds the member's answer stream
 * @param callId the id the call was sent to the member with, as JSON
 */
public record ParkedCall(String member, String session, String holder, String callId) {

	Map<String, String> fields() {
		return Map.of("member", this.member, "session", this.session, "holder", this.holder, "call", this.callId);
	}

	static ParkedCall of(Map<String, String> fields) {
		return new ParkedCall(fields.getOrDefault("member", ""), fields.getOrDefault("session", ""),
				fields.getOrDefault("holder", ""), fields.getOrDefault("call", "null"));
	}

}

package dev.securechannel.handshake;

/** Which side of the handshake a party plays. */
public enum Role {
    /** The client: sends the first hello and the confirmation. */
    INITIATOR,
    /** The server: answers the first hello. */
    RESPONDER;

    /** The lower-case metrics tag value. */
    public String tagValue() {
        return this == INITIATOR ? "initiator" : "responder";
    }
}

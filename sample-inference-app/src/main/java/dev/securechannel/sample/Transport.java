package dev.securechannel.sample;

/** How a request reached the model: the value of the {@code transport} tag on {@code sample.inference}. */
public enum Transport {
    SECURE_CHANNEL("secure-channel"),
    REST("rest");

    private final String tagValue;

    Transport(String tagValue) {
        this.tagValue = tagValue;
    }

    /** The metric tag value. */
    public String tagValue() {
        return tagValue;
    }
}

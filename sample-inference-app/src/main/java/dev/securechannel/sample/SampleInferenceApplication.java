package dev.securechannel.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The sample inference service: serves mock-attested secure-channel sessions in development. */
@SpringBootApplication
public class SampleInferenceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleInferenceApplication.class, args);
    }
}

package dev.securechannel.bench.endpoint;

import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * JDK TLS 1.3 set up for the benchmarks: a self-signed ECDSA P-256 certificate generated in
 * memory, a server context holding its key, and a client context whose trust manager accepts
 * exactly that certificate (pinned; no hostname check, no other roots).
 *
 * <p>Every engine and socket it configures speaks TLS 1.3 only with the one cipher suite
 * chosen, so a benchmark measures that suite. The pinned trust manager counts its checks: a
 * full handshake checks the server's certificate, a resumed one does not, so the count proves
 * that handshakes were full ({@link #serverCertificateChecks()}).
 *
 * <p>Both contexts keep at most one session in their caches, and clients never resume:
 * engines are created without a peer host and port (the JDK's key for resumption), and a socket
 * client only stores the server's post-handshake session ticket when it reads, which the
 * handshake benchmark never does ({@link #forgetClientSessions()} clears what set-up checks
 * leave behind).
 * Thread-safe once built.
 */
public final class SelfSignedTls {

    /** The only protocol enabled. */
    public static final String PROTOCOL = "TLSv1.3";

    private final String cipherSuite;
    private final X509Certificate certificate;
    private final SSLContext serverContext;
    private final SSLContext clientContext;
    private final PinnedTrustManager trustManager;

    private SelfSignedTls(String cipherSuite, X509Certificate certificate, SSLContext serverContext,
                          SSLContext clientContext, PinnedTrustManager trustManager) {
        this.cipherSuite = cipherSuite;
        this.certificate = certificate;
        this.serverContext = serverContext;
        this.clientContext = clientContext;
        this.trustManager = trustManager;
    }

    /** Generates the key pair and certificate and builds both contexts for {@code cipherSuite}. */
    public static SelfSignedTls create(String cipherSuite) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate certificate = selfSign(keyPair);

        char[] password = "bench".toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try {
            keyStore.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("empty key store", e);
        }
        keyStore.setKeyEntry("server", keyPair.getPrivate(), password, new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, password);

        SecureRandom random = new SecureRandom();
        SSLContext serverContext = SSLContext.getInstance(PROTOCOL);
        serverContext.init(keyManagers.getKeyManagers(), null, random);
        PinnedTrustManager trustManager = new PinnedTrustManager(certificate);
        SSLContext clientContext = SSLContext.getInstance(PROTOCOL);
        clientContext.init(null, new TrustManager[] {trustManager}, random);
        // Size 0 would mean unlimited; one entry keeps memory flat over thousands of handshakes.
        serverContext.getServerSessionContext().setSessionCacheSize(1);
        clientContext.getClientSessionContext().setSessionCacheSize(1);
        return new SelfSignedTls(cipherSuite, certificate, serverContext, clientContext, trustManager);
    }

    private static X509Certificate selfSign(KeyPair keyPair) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=secure-channel bench");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keyPair.getPublic());
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }
    }

    /** A new client engine (no peer host: never resumes). */
    public SSLEngine clientEngine() {
        SSLEngine engine = clientContext.createSSLEngine();
        engine.setUseClientMode(true);
        restrict(engine.getSSLParameters(), engine::setSSLParameters);
        return engine;
    }

    /** A new server engine. */
    public SSLEngine serverEngine() {
        SSLEngine engine = serverContext.createSSLEngine();
        engine.setUseClientMode(false);
        restrict(engine.getSSLParameters(), engine::setSSLParameters);
        return engine;
    }

    /** Restricts a client socket to TLS 1.3 and the suite. */
    public void configure(SSLSocket socket) {
        restrict(socket.getSSLParameters(), socket::setSSLParameters);
    }

    /** Restricts a server socket, and so the sockets it accepts, to TLS 1.3 and the suite. */
    public void configure(SSLServerSocket socket) {
        restrict(socket.getSSLParameters(), socket::setSSLParameters);
    }

    private void restrict(SSLParameters parameters, Consumer<SSLParameters> apply) {
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setCipherSuites(new String[] {cipherSuite});
        apply.accept(parameters);
    }

    /** The context holding the server's key (for server sockets). */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** The context trusting only the pinned certificate (for client sockets). */
    public SSLContext clientContext() {
        return clientContext;
    }

    /** The suite every engine and socket is restricted to. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** The self-signed certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Invalidates every session the client side holds, so that none can be resumed. */
    public void forgetClientSessions() {
        SSLSessionContext sessions = clientContext.getClientSessionContext();
        for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
            SSLSession session = sessions.getSession(ids.nextElement());
            if (session != null) {
                session.invalidate();
            }
        }
    }

    /** How many times a client has checked the server's certificate: once per full handshake. */
    public long serverCertificateChecks() {
        return trustManager.checks.get();
    }

    /**
     * Accepts a server chain whose leaf is exactly the pinned certificate; refuses everything
     * else, and any client certificate (the benchmarks use server authentication only).
     */
    private static final class PinnedTrustManager extends X509ExtendedTrustManager {

        private final X509Certificate pinned;
        private final byte[] pinnedEncoding;
        final AtomicLong checks = new AtomicLong();

        PinnedTrustManager(X509Certificate pinned) throws CertificateException {
            this.pinned = pinned;
            this.pinnedEncoding = pinned.getEncoded();
        }

        private void checkPinned(X509Certificate[] chain) throws CertificateException {
            checks.incrementAndGet();
            if (chain == null || chain.length == 0 || !Arrays.equals(chain[0].getEncoded(), pinnedEncoding)) {
                throw new CertificateException("server certificate is not the pinned one");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checkPinned(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkPinned(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkPinned(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {pinned};
        }
    }
}

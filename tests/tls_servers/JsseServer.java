// A Java (JSSE) HTTPS server on 127.0.0.1 for the fallback prober's tests.
// Usage: java JsseServer KEYSTORE.p12 PASSWORD PROTOCOLS CIPHERS
// (PROTOCOLS and CIPHERS are comma lists of JSSE names). Prints its port on
// the first line of stdout, then serves until killed.
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

public final class JsseServer {
    public static void main(String[] args) throws Exception {
        char[] password = args[1].toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(args[0])) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        listener.setEnabledProtocols(args[2].split(","));
        listener.setEnabledCipherSuites(args[3].split(","));
        System.out.println(listener.getLocalPort());
        System.out.flush();
        while (true) {
            Socket conn = listener.accept();
            new Thread(() -> handle((SSLSocket) conn)).start();
        }
    }

    private static void handle(SSLSocket conn) {
        try (conn) {
            conn.setSoTimeout(10000);
            conn.startHandshake();
            InputStream in = conn.getInputStream();
            byte[] buffer = new byte[4096];
            in.read(buffer);
            OutputStream out = conn.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\n"
                    + "jsse\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (Exception e) {
            // probes drop their handshakes half-way
        }
    }
}

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Starts DynamoDB Local bound to 127.0.0.1 (its command line has no host option and Jetty would
 * listen on every interface), prints "NETLAKE_DYNAMODB_LOCAL_READY <port>" once serving, and exits
 * when stdin closes, so it dies with the Node process that launched it (local-dynamodb-local.ts).
 * Source-file mode: java -cp "DynamoDBLocal.jar:DynamoDBLocal_lib/*" dynamodb-local-launcher.java ARGS
 */
public class DynamoDbLocalLauncher {
  public static void main(String[] args) throws Exception {
    // "-port 0" is refused by the CLI parser: take it here and hand Jetty port 0 (any free port).
    int port = 0;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-port")) {
        port = Integer.parseInt(args[i + 1]);
        if (port == 0) args[i + 1] = "8000";
      }
    }
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    ServerConnector bound = null;
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector) {
        bound = (ServerConnector) connector;
        bound.setHost("127.0.0.1");
        bound.setPort(port);
      }
    }
    if (bound == null) throw new IllegalStateException("no Jetty ServerConnector to bind");
    proxy.start();
    System.out.println("NETLAKE_DYNAMODB_LOCAL_READY " + bound.getLocalPort());
    System.out.flush();
    while (System.in.read() != -1) {
      // wait for the parent to close stdin (close() or parent death)
    }
    proxy.stop();
    System.exit(0);
  }
}

package io.github.mfasession.hosts;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A SQL tool connecting to Redshift with the JDBC driver and IAM, run as its own process by
 * {@link RedshiftJdbcHostTest}. Arguments: the JDBC URL, then connection properties as {@code name=value}.
 * Prints how the connection ended: {@code connected}, or each exception in the failure's cause chain.
 */
public final class RedshiftJdbcHost {

    private RedshiftJdbcHost() {
    }

    public static void main(String[] args) {
        Properties properties = new Properties();
        for (int i = 1; i < args.length; i++) {
            String[] property = args[i].split("=", 2);
            properties.setProperty(property[0], property[1]);
        }
        try {
            Connection connection = DriverManager.getConnection(args[0], properties);
            connection.close();
            System.out.println("connected");
        } catch (SQLException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                System.out.println(cause.getClass().getName() + ": " + cause.getMessage());
            }
        }
    }
}

package dev.postflow.contract;

import java.sql.Connection;
import java.sql.SQLException;

/** A new JDBC connection from the service's pool, closed by the caller ({@code dataSource::getConnection}). */
public interface Connections {
  Connection open() throws SQLException;
}

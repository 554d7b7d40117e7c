-- Migration number: 0001 	 placeholder schema; the worker issue replaces this file before any deployment
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

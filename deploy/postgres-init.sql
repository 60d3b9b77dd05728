-- Run once by the postgres image when its volume is empty: the backend's database beside the MCP server's
-- (POSTGRES_DB, calendarconnect_tokens). Each service creates and upgrades its own tables at start-up.
CREATE DATABASE calendarconnect_customers OWNER calendarconnect;

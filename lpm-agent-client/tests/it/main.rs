//! Integration tests of lpm-agent-client.

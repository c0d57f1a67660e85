-- A report's email is recorded as attempted before it is sent (issue 17, item 11): a run
-- killed after the message left but before its delivery was recorded is then told apart from
-- one that never sent, and the re-run does not send the same report a second time.
ALTER TABLE runs ADD COLUMN email_message_id VARCHAR;   -- the Message-ID header sent
ALTER TABLE runs ADD COLUMN email_attempted_at TIMESTAMP;  -- UTC, just before sending

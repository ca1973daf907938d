-- Servers keep each customer's recent choices between their sessions. A choice also names its customer on a
-- channel of its own, so that every server forgets what it kept for them, and servers that do not keep
-- them need not change what they read from the log channel.
-- (Function bodies are E'' strings with every semicolon written \073, as the driver adapter splits scripts at each one.)

CREATE OR REPLACE FUNCTION matchloop_notify_choice_logged() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''matchloop_choice_log'', NEW.sequence::text)\073
  PERFORM pg_notify(''matchloop_customer_choices'', NEW."customerId")\073
  RETURN NULL\073
END ';

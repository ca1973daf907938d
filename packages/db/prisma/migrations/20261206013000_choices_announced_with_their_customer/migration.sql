-- A server keeps each customer's recent choices between their sessions, and adds the choices it logs itself
-- to them. It then needs to tell a choice it already holds from one it has yet to read, so a choice is now
-- also announced with its sequence and its customer together, on a channel of its own: that one channel is
-- all a server of this version listens to for choices. The two earlier channels go on being announced for
-- servers of the previous version while both versions run side by side.
-- (Function bodies are E'' strings with every semicolon written \073, as the driver adapter splits scripts at each one.)

CREATE OR REPLACE FUNCTION matchloop_notify_choice_logged() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''matchloop_choices'', NEW.sequence::text || '':'' || NEW."customerId")\073
  PERFORM pg_notify(''matchloop_choice_log'', NEW.sequence::text)\073
  PERFORM pg_notify(''matchloop_customer_choices'', NEW."customerId")\073
  RETURN NULL\073
END ';

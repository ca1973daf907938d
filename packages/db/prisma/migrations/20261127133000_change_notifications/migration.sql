-- Servers keep the learner and the API keys in memory. These notifications tell every server, on commit,
-- that the choice log grew or that a key changed, so that none has to ask the database on each request.
-- (Function bodies are E'' strings with every semicolon written \073, as the driver adapter splits scripts at each one.)

CREATE FUNCTION matchloop_notify_choice_logged() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''matchloop_choice_log'', NEW.sequence::text)\073
  RETURN NULL\073
END ';

CREATE TRIGGER "CustomerChoice_notify" AFTER INSERT ON "CustomerChoice"
  FOR EACH ROW EXECUTE FUNCTION matchloop_notify_choice_logged();

CREATE FUNCTION matchloop_notify_api_key_changed() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''matchloop_api_keys'', NEW.prefix)\073
  RETURN NULL\073
END ';

CREATE TRIGGER "ApiKey_notify" AFTER INSERT OR UPDATE ON "ApiKey"
  FOR EACH ROW EXECUTE FUNCTION matchloop_notify_api_key_changed();

-- Email keys fold the domain through IDNA (UTS #46), so that
-- user@bücher.de and user@xn--bcher-kva.de are one address. SQL has no
-- IDNA: store/sqlite.rs (`fold_email_domains`) recomputes the key of every
-- address with a character outside ASCII after this file has run. A key that
-- would then collide with another user's stays as it was, so that no store
-- fails to open over two accounts that existed before.
SELECT 1;

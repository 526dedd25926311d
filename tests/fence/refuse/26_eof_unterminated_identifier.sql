-- Refuse corpus 26: an unterminated quoted identifier at the end of the file.

SELECT 1 AS before_the_break;

-- refuse: parse-error
SELECT * FROM public."user;

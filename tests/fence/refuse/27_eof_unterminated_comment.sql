-- Refuse corpus 27: an unterminated (nested) block comment at the end of the file.
-- PostgreSQL comments nest, so the first */ below does not close the outer comment.

SELECT 1 AS before_the_break;

-- refuse: parse-error
SELECT 2 /* outer /* inner */ DELETE FROM public.session;

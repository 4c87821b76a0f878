// Every runner works in UTC; tests that need a zone say so explicitly.
process.env.TZ = 'UTC';

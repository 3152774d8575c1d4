
use builtin;
use str;

set edit:completion:arg-completer[latch] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'latch'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'latch'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand register 'Create an account'
            cand login 'Log in and keep the session token in the token store'
            cand logout 'End the session and remove its token from the token store'
            cand whoami 'Print the logged-in username'
            cand passwd 'Change your password'
            cand users 'Administer accounts (admins only)'
            cand history 'Show the audit trail'
            cand policy 'Show or change the store''s policy'
            cand sessions 'List or end sessions'
            cand import 'Import users from a file or a Django database (admins only)'
            cand export 'Export every user, password hashes included (admins only)'
            cand store 'Work on the store as a whole (admins only)'
            cand mfa 'Enrol, confirm, check or remove your second factor (TOTP)'
            cand verify 'Check a password as login does, without logging in'
            cand completions 'Print the completion script for a shell'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;register'= {
            cand --email 'The email address'
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand --login 'Log in as the new account right away'
            cand --admin 'Make the account an admin'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;login'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;logout'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --all 'End every session of the logged-in user, not only this one'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;whoami'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --json 'Print the user and the session as JSON (never the token)'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;passwd'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --password-stdin 'Read the current and the new password from the first two lines of standard input'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List accounts: a table on a terminal, or JSON'
            cand show 'Show one account'
            cand disable 'Disable an account and end its sessions'
            cand enable 'Enable a disabled account'
            cand delete 'Delete an account and its sessions; its history stays'
            cand set-password 'Set another account''s password and end its sessions'
            cand unlock 'Clear a name''s failed logins and lift its lock'
            cand reset-mfa 'Remove an account''s second factor (a lost phone) and end its sessions'
            cand admin 'Grant or revoke admin'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;users;list'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --active 'Only active accounts'
            cand --disabled 'Only disabled accounts'
            cand --admins 'Only admins'
            cand --mfa 'Only accounts with a confirmed second factor'
            cand --no-mfa 'Only accounts without one'
            cand --json 'Print one JSON array, streamed'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;show'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --json 'Print the account as a JSON object'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;disable'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;enable'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;delete'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -y 'Delete without asking'
            cand --yes 'Delete without asking'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;set-password'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --password-stdin 'Read the new password from the first line of standard input'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;unlock'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;reset-mfa'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;admin'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand grant 'Make an account an admin'
            cand revoke 'Take admin away from an account (never from the last admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;users;admin;grant'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;admin;revoke'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;users;admin;help'= {
            cand grant 'Make an account an admin'
            cand revoke 'Take admin away from an account (never from the last admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;users;admin;help;grant'= {
        }
        &'latch;users;admin;help;revoke'= {
        }
        &'latch;users;admin;help;help'= {
        }
        &'latch;users;help'= {
            cand list 'List accounts: a table on a terminal, or JSON'
            cand show 'Show one account'
            cand disable 'Disable an account and end its sessions'
            cand enable 'Enable a disabled account'
            cand delete 'Delete an account and its sessions; its history stays'
            cand set-password 'Set another account''s password and end its sessions'
            cand unlock 'Clear a name''s failed logins and lift its lock'
            cand reset-mfa 'Remove an account''s second factor (a lost phone) and end its sessions'
            cand admin 'Grant or revoke admin'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;users;help;list'= {
        }
        &'latch;users;help;show'= {
        }
        &'latch;users;help;disable'= {
        }
        &'latch;users;help;enable'= {
        }
        &'latch;users;help;delete'= {
        }
        &'latch;users;help;set-password'= {
        }
        &'latch;users;help;unlock'= {
        }
        &'latch;users;help;reset-mfa'= {
        }
        &'latch;users;help;admin'= {
            cand grant 'Make an account an admin'
            cand revoke 'Take admin away from an account (never from the last admin)'
        }
        &'latch;users;help;admin;grant'= {
        }
        &'latch;users;help;admin;revoke'= {
        }
        &'latch;users;help;help'= {
        }
        &'latch;history'= {
            cand -n 'How many events, newest first'
            cand --limit 'How many events, newest first'
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --json 'Print the events as a JSON array'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;policy'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show every policy value, its default and its bounds'
            cand set 'Change one policy value (admins only)'
            cand calibrate 'Measure this machine''s PBKDF2 speed and propose an iteration count'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;policy;show'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --json 'Print the policy as a JSON object'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;policy;set'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;policy;calibrate'= {
            cand --target-ms 'How long one hash should take, in milliseconds'
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --apply 'Set pbkdf2-iterations to the proposal (admins only)'
            cand --json 'Print the measurement as a JSON object'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;policy;help'= {
            cand show 'Show every policy value, its default and its bounds'
            cand set 'Change one policy value (admins only)'
            cand calibrate 'Measure this machine''s PBKDF2 speed and propose an iteration count'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;policy;help;show'= {
        }
        &'latch;policy;help;set'= {
        }
        &'latch;policy;help;calibrate'= {
        }
        &'latch;policy;help;help'= {
        }
        &'latch;sessions'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List your sessions (with --all, an admin sees everyone''s)'
            cand revoke 'End a session by its id, or every session of yours but this one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;sessions;list'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --all 'Every user''s sessions (admins only)'
            cand --json 'Print the sessions as a JSON array'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;sessions;revoke'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --all-others 'Every session of yours except this one'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;sessions;help'= {
            cand list 'List your sessions (with --all, an admin sees everyone''s)'
            cand revoke 'End a session by its id, or every session of yours but this one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;sessions;help;list'= {
        }
        &'latch;sessions;help;revoke'= {
        }
        &'latch;sessions;help;help'= {
        }
        &'latch;import'= {
            cand --format 'The format of the file'
            cand --on-conflict 'What to do with a user whose username or email is taken'
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --dry-run 'Check everything, write nothing'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;export'= {
            cand --format 'The format to write'
            cand -o 'Where to write instead of standard output: a file (replaced, 0600), a device or FIFO, or -'
            cand --output 'Where to write instead of standard output: a file (replaced, 0600), a device or FIFO, or -'
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;store'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand copy 'Copy everything in the store into another, empty store (admins only)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;store;copy'= {
            cand --to 'The store to copy into: a file path, a postgresql:// URL or a key=value string'
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;store;help'= {
            cand copy 'Copy everything in the store into another, empty store (admins only)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;store;help;copy'= {
        }
        &'latch;store;help;help'= {
        }
        &'latch;mfa'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand enable 'Make a new secret and show it as a QR code, a URI and base32'
            cand confirm 'Confirm the pending factor with a code from the app'
            cand disable 'Remove your second factor and recovery codes'
            cand status 'Show whether you have a second factor and how many recovery codes are left'
            cand recovery-codes 'Make ten new recovery codes, voiding the old ones'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;mfa;enable'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand --json 'Print {"secret", "otpauth_uri"} and no QR code'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;mfa;confirm'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --code-stdin 'Read the code from the first line of standard input'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;mfa;disable'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --password-stdin 'Read the password, then the code, from standard input'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;mfa;status'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --json 'Print the status as a JSON object'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;mfa;recovery-codes'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --regenerate 'Make a new set (required: the old codes stop working)'
            cand --password-stdin 'Read the password, then the code, from standard input'
            cand --json 'Print {"recovery_codes": [...]}'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;mfa;help'= {
            cand enable 'Make a new secret and show it as a QR code, a URI and base32'
            cand confirm 'Confirm the pending factor with a code from the app'
            cand disable 'Remove your second factor and recovery codes'
            cand status 'Show whether you have a second factor and how many recovery codes are left'
            cand recovery-codes 'Make ten new recovery codes, voiding the old ones'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;mfa;help;enable'= {
        }
        &'latch;mfa;help;confirm'= {
        }
        &'latch;mfa;help;disable'= {
        }
        &'latch;mfa;help;status'= {
        }
        &'latch;mfa;help;recovery-codes'= {
        }
        &'latch;mfa;help;help'= {
        }
        &'latch;verify'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand --pam 'Answer pam_exec.so expose_authtok: PAM_USER, the password on stdin'
            cand --json 'Print {"username", "verified"} as JSON'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;completions'= {
            cand --db 'The account store [default: $XDG_DATA_HOME/latch/latch.db]'
            cand --token-store 'Where the session token is kept'
            cand --color 'When to colour messages'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'latch;help'= {
            cand register 'Create an account'
            cand login 'Log in and keep the session token in the token store'
            cand logout 'End the session and remove its token from the token store'
            cand whoami 'Print the logged-in username'
            cand passwd 'Change your password'
            cand users 'Administer accounts (admins only)'
            cand history 'Show the audit trail'
            cand policy 'Show or change the store''s policy'
            cand sessions 'List or end sessions'
            cand import 'Import users from a file or a Django database (admins only)'
            cand export 'Export every user, password hashes included (admins only)'
            cand store 'Work on the store as a whole (admins only)'
            cand mfa 'Enrol, confirm, check or remove your second factor (TOTP)'
            cand verify 'Check a password as login does, without logging in'
            cand completions 'Print the completion script for a shell'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'latch;help;register'= {
        }
        &'latch;help;login'= {
        }
        &'latch;help;logout'= {
        }
        &'latch;help;whoami'= {
        }
        &'latch;help;passwd'= {
        }
        &'latch;help;users'= {
            cand list 'List accounts: a table on a terminal, or JSON'
            cand show 'Show one account'
            cand disable 'Disable an account and end its sessions'
            cand enable 'Enable a disabled account'
            cand delete 'Delete an account and its sessions; its history stays'
            cand set-password 'Set another account''s password and end its sessions'
            cand unlock 'Clear a name''s failed logins and lift its lock'
            cand reset-mfa 'Remove an account''s second factor (a lost phone) and end its sessions'
            cand admin 'Grant or revoke admin'
        }
        &'latch;help;users;list'= {
        }
        &'latch;help;users;show'= {
        }
        &'latch;help;users;disable'= {
        }
        &'latch;help;users;enable'= {
        }
        &'latch;help;users;delete'= {
        }
        &'latch;help;users;set-password'= {
        }
        &'latch;help;users;unlock'= {
        }
        &'latch;help;users;reset-mfa'= {
        }
        &'latch;help;users;admin'= {
            cand grant 'Make an account an admin'
            cand revoke 'Take admin away from an account (never from the last admin)'
        }
        &'latch;help;users;admin;grant'= {
        }
        &'latch;help;users;admin;revoke'= {
        }
        &'latch;help;history'= {
        }
        &'latch;help;policy'= {
            cand show 'Show every policy value, its default and its bounds'
            cand set 'Change one policy value (admins only)'
            cand calibrate 'Measure this machine''s PBKDF2 speed and propose an iteration count'
        }
        &'latch;help;policy;show'= {
        }
        &'latch;help;policy;set'= {
        }
        &'latch;help;policy;calibrate'= {
        }
        &'latch;help;sessions'= {
            cand list 'List your sessions (with --all, an admin sees everyone''s)'
            cand revoke 'End a session by its id, or every session of yours but this one'
        }
        &'latch;help;sessions;list'= {
        }
        &'latch;help;sessions;revoke'= {
        }
        &'latch;help;import'= {
        }
        &'latch;help;export'= {
        }
        &'latch;help;store'= {
            cand copy 'Copy everything in the store into another, empty store (admins only)'
        }
        &'latch;help;store;copy'= {
        }
        &'latch;help;mfa'= {
            cand enable 'Make a new secret and show it as a QR code, a URI and base32'
            cand confirm 'Confirm the pending factor with a code from the app'
            cand disable 'Remove your second factor and recovery codes'
            cand status 'Show whether you have a second factor and how many recovery codes are left'
            cand recovery-codes 'Make ten new recovery codes, voiding the old ones'
        }
        &'latch;help;mfa;enable'= {
        }
        &'latch;help;mfa;confirm'= {
        }
        &'latch;help;mfa;disable'= {
        }
        &'latch;help;mfa;status'= {
        }
        &'latch;help;mfa;recovery-codes'= {
        }
        &'latch;help;verify'= {
        }
        &'latch;help;completions'= {
        }
        &'latch;help;help'= {
        }
    ]
    $completions[$command]
}

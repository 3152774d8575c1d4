
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
        &'latch;help;completions'= {
        }
        &'latch;help;help'= {
        }
    ]
    $completions[$command]
}

# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_latch_global_optspecs
    string join \n db= token-store= q/quiet color= h/help V/version
end

function __fish_latch_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_latch_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_latch_using_subcommand
    set -l cmd (__fish_latch_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c latch -n "__fish_latch_needs_command" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_needs_command" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_needs_command" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_needs_command" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_needs_command" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_needs_command" -f -a "register" -d 'Create an account'
complete -c latch -n "__fish_latch_needs_command" -f -a "login" -d 'Log in and keep the session token in the token store'
complete -c latch -n "__fish_latch_needs_command" -f -a "logout" -d 'End the session and remove its token from the token store'
complete -c latch -n "__fish_latch_needs_command" -f -a "whoami" -d 'Print the logged-in username'
complete -c latch -n "__fish_latch_needs_command" -f -a "passwd" -d 'Change your password'
complete -c latch -n "__fish_latch_needs_command" -f -a "users" -d 'Administer accounts (admins only)'
complete -c latch -n "__fish_latch_needs_command" -f -a "history" -d 'Show the audit trail'
complete -c latch -n "__fish_latch_needs_command" -f -a "policy" -d 'Show or change the store\'s policy'
complete -c latch -n "__fish_latch_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c latch -n "__fish_latch_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand register" -l email -d 'The email address' -r
complete -c latch -n "__fish_latch_using_subcommand register" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand register" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand register" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand register" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c latch -n "__fish_latch_using_subcommand register" -l login -d 'Log in as the new account right away'
complete -c latch -n "__fish_latch_using_subcommand register" -l admin -d 'Make the account an admin'
complete -c latch -n "__fish_latch_using_subcommand register" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand register" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand login" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand login" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand login" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand login" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c latch -n "__fish_latch_using_subcommand login" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand login" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand logout" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand logout" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand logout" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand logout" -l all -d 'End every session of the logged-in user, not only this one'
complete -c latch -n "__fish_latch_using_subcommand logout" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand logout" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand whoami" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand whoami" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand whoami" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand whoami" -l json -d 'Print the user and the session as JSON (never the token)'
complete -c latch -n "__fish_latch_using_subcommand whoami" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand passwd" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand passwd" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand passwd" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand passwd" -l password-stdin -d 'Read the current and the new password from the first two lines of standard input'
complete -c latch -n "__fish_latch_using_subcommand passwd" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand passwd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand passwd" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -f -a "unlock" -d 'Clear a name\'s failed logins and lift its lock'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -f -a "admin" -d 'Grant or revoke admin'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from unlock admin help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -f -a "grant" -d 'Make an account an admin'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -f -a "revoke" -d 'Take admin away from an account (never from the last admin)'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "unlock" -d 'Clear a name\'s failed logins and lift its lock'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "admin" -d 'Grant or revoke admin'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand history" -s n -l limit -d 'How many events, newest first' -r
complete -c latch -n "__fish_latch_using_subcommand history" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand history" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand history" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand history" -l json -d 'Print the events as a JSON array'
complete -c latch -n "__fish_latch_using_subcommand history" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand history" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -f -a "show" -d 'Show every policy value, its default and its bounds'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -f -a "set" -d 'Change one policy value (admins only)'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -l json -d 'Print the policy as a JSON object'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show every policy value, its default and its bounds'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change one policy value (admins only)'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand completions" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand completions" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel keyring, for headless servers; gone at reboot'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand completions" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand completions" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand completions" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "register" -d 'Create an account'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "login" -d 'Log in and keep the session token in the token store'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "logout" -d 'End the session and remove its token from the token store'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "whoami" -d 'Print the logged-in username'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "passwd" -d 'Change your password'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "users" -d 'Administer accounts (admins only)'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "history" -d 'Show the audit trail'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "policy" -d 'Show or change the store\'s policy'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "unlock" -d 'Clear a name\'s failed logins and lift its lock'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "admin" -d 'Grant or revoke admin'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "show" -d 'Show every policy value, its default and its bounds'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "set" -d 'Change one policy value (admins only)'

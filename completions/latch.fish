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
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
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
complete -c latch -n "__fish_latch_needs_command" -f -a "sessions" -d 'List or end sessions'
complete -c latch -n "__fish_latch_needs_command" -f -a "import" -d 'Import users from a file or a Django database (admins only)'
complete -c latch -n "__fish_latch_needs_command" -f -a "export" -d 'Export every user, password hashes included (admins only)'
complete -c latch -n "__fish_latch_needs_command" -f -a "store" -d 'Work on the store as a whole (admins only)'
complete -c latch -n "__fish_latch_needs_command" -f -a "mfa" -d 'Enrol, confirm, check or remove your second factor (TOTP)'
complete -c latch -n "__fish_latch_needs_command" -f -a "verify" -d 'Check a password as login does, without logging in'
complete -c latch -n "__fish_latch_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c latch -n "__fish_latch_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand register" -l email -d 'The email address' -r
complete -c latch -n "__fish_latch_using_subcommand register" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand register" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
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
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
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
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
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
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
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
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand passwd" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand passwd" -l password-stdin -d 'Read the current and the new password from the first two lines of standard input'
complete -c latch -n "__fish_latch_using_subcommand passwd" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand passwd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand passwd" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "list" -d 'List accounts: a table on a terminal, or JSON'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "show" -d 'Show one account'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "disable" -d 'Disable an account and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "enable" -d 'Enable a disabled account'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "delete" -d 'Delete an account and its sessions; its history stays'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "set-password" -d 'Set another account\'s password and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "unlock" -d 'Clear a name\'s failed logins and lift its lock'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "reset-mfa" -d 'Remove an account\'s second factor (a lost phone) and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "admin" -d 'Grant or revoke admin'
complete -c latch -n "__fish_latch_using_subcommand users; and not __fish_seen_subcommand_from list show disable enable delete set-password unlock reset-mfa admin help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l active -d 'Only active accounts'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l disabled -d 'Only disabled accounts'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l admins -d 'Only admins'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l mfa -d 'Only accounts with a confirmed second factor'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l no-mfa -d 'Only accounts without one'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -l json -d 'Print one JSON array, streamed'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from show" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from show" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from show" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from show" -l json -d 'Print the account as a JSON object'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from disable" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from disable" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from disable" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from enable" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from enable" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from enable" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from delete" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from delete" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from delete" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Delete without asking'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from set-password" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from set-password" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from set-password" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from set-password" -l password-stdin -d 'Read the new password from the first line of standard input'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from set-password" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from set-password" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from set-password" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from unlock" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from reset-mfa" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from reset-mfa" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from reset-mfa" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from reset-mfa" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from reset-mfa" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from reset-mfa" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from admin" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
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
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "list" -d 'List accounts: a table on a terminal, or JSON'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one account'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable an account and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a disabled account'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete an account and its sessions; its history stays'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "set-password" -d 'Set another account\'s password and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "unlock" -d 'Clear a name\'s failed logins and lift its lock'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "reset-mfa" -d 'Remove an account\'s second factor (a lost phone) and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "admin" -d 'Grant or revoke admin'
complete -c latch -n "__fish_latch_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand history" -s n -l limit -d 'How many events, newest first' -r
complete -c latch -n "__fish_latch_using_subcommand history" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand history" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand history" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand history" -l json -d 'Print the events as a JSON array'
complete -c latch -n "__fish_latch_using_subcommand history" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand history" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -f -a "show" -d 'Show every policy value, its default and its bounds'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -f -a "set" -d 'Change one policy value (admins only)'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -f -a "calibrate" -d 'Measure this machine\'s PBKDF2 speed and propose an iteration count'
complete -c latch -n "__fish_latch_using_subcommand policy; and not __fish_seen_subcommand_from show set calibrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from show" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
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
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -l target-ms -d 'How long one hash should take, in milliseconds' -r
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -l apply -d 'Set pbkdf2-iterations to the proposal (admins only)'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -l json -d 'Print the measurement as a JSON object'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from calibrate" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show every policy value, its default and its bounds'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change one policy value (admins only)'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "calibrate" -d 'Measure this machine\'s PBKDF2 speed and propose an iteration count'
complete -c latch -n "__fish_latch_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "list" -d 'List your sessions (with --all, an admin sees everyone\'s)'
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "revoke" -d 'End a session by its id, or every session of yours but this one'
complete -c latch -n "__fish_latch_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from list" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from list" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from list" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from list" -l all -d 'Every user\'s sessions (admins only)'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from list" -l json -d 'Print the sessions as a JSON array'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l all-others -d 'Every session of yours except this one'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "list" -d 'List your sessions (with --all, an admin sees everyone\'s)'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'End a session by its id, or every session of yours but this one'
complete -c latch -n "__fish_latch_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand import" -l format -d 'The format of the file' -r -f -a "jsonl\t'One JSON object per line with the users columns (see JSONL below)'
django-db\t'A Django site\'s database (an SQLite file or PostgreSQL), its auth_user read read-only'"
complete -c latch -n "__fish_latch_using_subcommand import" -l on-conflict -d 'What to do with a user whose username or email is taken' -r -f -a "fail\t'Import nothing, and list every such row (exit 6)'
skip\t'Keep the existing user and go on'
update\t'Write the row over the user with that username'"
complete -c latch -n "__fish_latch_using_subcommand import" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand import" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand import" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand import" -l dry-run -d 'Check everything, write nothing'
complete -c latch -n "__fish_latch_using_subcommand import" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand import" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand export" -l format -d 'The format to write' -r -f -a "jsonl\t'One JSON object per line with the users columns, as `import` reads them'
django-json\t'A fixture for Django\'s `manage.py loaddata` into auth.user'"
complete -c latch -n "__fish_latch_using_subcommand export" -s o -l output -d 'Where to write instead of standard output: a file (replaced, 0600), a device or FIFO, or -' -r -F
complete -c latch -n "__fish_latch_using_subcommand export" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand export" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand export" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand export" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand export" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand store; and not __fish_seen_subcommand_from copy help" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand store; and not __fish_seen_subcommand_from copy help" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand store; and not __fish_seen_subcommand_from copy help" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand store; and not __fish_seen_subcommand_from copy help" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand store; and not __fish_seen_subcommand_from copy help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand store; and not __fish_seen_subcommand_from copy help" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand store; and not __fish_seen_subcommand_from copy help" -f -a "copy" -d 'Copy everything in the store into another, empty store (admins only)'
complete -c latch -n "__fish_latch_using_subcommand store; and not __fish_seen_subcommand_from copy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from copy" -l to -d 'The store to copy into: a file path, a postgresql:// URL or a key=value string' -r
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from copy" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from copy" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from copy" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from copy" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from copy" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "copy" -d 'Copy everything in the store into another, empty store (admins only)'
complete -c latch -n "__fish_latch_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -f -a "enable" -d 'Make a new secret and show it as a QR code, a URI and base32'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -f -a "confirm" -d 'Confirm the pending factor with a code from the app'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -f -a "disable" -d 'Remove your second factor and recovery codes'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -f -a "status" -d 'Show whether you have a second factor and how many recovery codes are left'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -f -a "recovery-codes" -d 'Make ten new recovery codes, voiding the old ones'
complete -c latch -n "__fish_latch_using_subcommand mfa; and not __fish_seen_subcommand_from enable confirm disable status recovery-codes help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from enable" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from enable" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from enable" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from enable" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from enable" -l json -d 'Print {"secret", "otpauth_uri"} and no QR code'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from confirm" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from confirm" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from confirm" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from confirm" -l code-stdin -d 'Read the code from the first line of standard input'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from confirm" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from confirm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from confirm" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from disable" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from disable" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from disable" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from disable" -l password-stdin -d 'Read the password, then the code, from standard input'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from status" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from status" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from status" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from status" -l json -d 'Print the status as a JSON object'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -l regenerate -d 'Make a new set (required: the old codes stop working)'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -l password-stdin -d 'Read the password, then the code, from standard input'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -l json -d 'Print {"recovery_codes": [...]}'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from recovery-codes" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Make a new secret and show it as a QR code, a URI and base32'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from help" -f -a "confirm" -d 'Confirm the pending factor with a code from the app'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Remove your second factor and recovery codes'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show whether you have a second factor and how many recovery codes are left'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from help" -f -a "recovery-codes" -d 'Make ten new recovery codes, voiding the old ones'
complete -c latch -n "__fish_latch_using_subcommand mfa; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand verify" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand verify" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand verify" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand verify" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c latch -n "__fish_latch_using_subcommand verify" -l pam -d 'Answer pam_exec.so expose_authtok: PAM_USER, the password on stdin'
complete -c latch -n "__fish_latch_using_subcommand verify" -l json -d 'Print {"username", "verified"} as JSON'
complete -c latch -n "__fish_latch_using_subcommand verify" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand verify" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand completions" -l db -d 'The account store [default: $XDG_DATA_HOME/latch/latch.db]' -r -F
complete -c latch -n "__fish_latch_using_subcommand completions" -l token-store -d 'Where the session token is kept' -r -f -a "keyring\t'The desktop keyring: Secret Service on Linux'
keyutils\t'The Linux kernel session keyring only, for headless servers; gone when it ends'
file\t'A plain 0600 file in the state directory: an explicit, warned-about opt-in'"
complete -c latch -n "__fish_latch_using_subcommand completions" -l color -d 'When to colour messages' -r -f -a "auto\t'When stderr is a terminal and NO_COLOR is not set'
always\t''
never\t''"
complete -c latch -n "__fish_latch_using_subcommand completions" -s q -l quiet -d 'Print nothing on success'
complete -c latch -n "__fish_latch_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c latch -n "__fish_latch_using_subcommand completions" -s V -l version -d 'Print version'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "register" -d 'Create an account'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "login" -d 'Log in and keep the session token in the token store'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "logout" -d 'End the session and remove its token from the token store'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "whoami" -d 'Print the logged-in username'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "passwd" -d 'Change your password'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "users" -d 'Administer accounts (admins only)'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "history" -d 'Show the audit trail'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "policy" -d 'Show or change the store\'s policy'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "sessions" -d 'List or end sessions'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "import" -d 'Import users from a file or a Django database (admins only)'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "export" -d 'Export every user, password hashes included (admins only)'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "store" -d 'Work on the store as a whole (admins only)'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "mfa" -d 'Enrol, confirm, check or remove your second factor (TOTP)'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "verify" -d 'Check a password as login does, without logging in'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c latch -n "__fish_latch_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami passwd users history policy sessions import export store mfa verify completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "list" -d 'List accounts: a table on a terminal, or JSON'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "show" -d 'Show one account'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "disable" -d 'Disable an account and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "enable" -d 'Enable a disabled account'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "delete" -d 'Delete an account and its sessions; its history stays'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "set-password" -d 'Set another account\'s password and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "unlock" -d 'Clear a name\'s failed logins and lift its lock'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "reset-mfa" -d 'Remove an account\'s second factor (a lost phone) and end its sessions'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "admin" -d 'Grant or revoke admin'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "show" -d 'Show every policy value, its default and its bounds'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "set" -d 'Change one policy value (admins only)'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "calibrate" -d 'Measure this machine\'s PBKDF2 speed and propose an iteration count'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "list" -d 'List your sessions (with --all, an admin sees everyone\'s)'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "revoke" -d 'End a session by its id, or every session of yours but this one'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "copy" -d 'Copy everything in the store into another, empty store (admins only)'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from mfa" -f -a "enable" -d 'Make a new secret and show it as a QR code, a URI and base32'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from mfa" -f -a "confirm" -d 'Confirm the pending factor with a code from the app'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from mfa" -f -a "disable" -d 'Remove your second factor and recovery codes'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from mfa" -f -a "status" -d 'Show whether you have a second factor and how many recovery codes are left'
complete -c latch -n "__fish_latch_using_subcommand help; and __fish_seen_subcommand_from mfa" -f -a "recovery-codes" -d 'Make ten new recovery codes, voiding the old ones'

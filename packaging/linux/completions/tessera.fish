# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tessera_global_optspecs
    string join \n vault= password-stdin h/help V/version
end

function __fish_tessera_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tessera_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tessera_using_subcommand
    set -l cmd (__fish_tessera_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tessera -n "__fish_tessera_needs_command" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_needs_command" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_needs_command" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_needs_command" -s V -l version -d 'Print version'
complete -c tessera -n "__fish_tessera_needs_command" -a "scan" -d 'Read accounts from QR images, text files of otpauth links, links or stdin, and show them with their codes. Changes nothing on disk'
complete -c tessera -n "__fish_tessera_needs_command" -a "code" -d 'Print the current (or next) code of a vault account, a key or an otpauth:// link'
complete -c tessera -n "__fish_tessera_needs_command" -a "init" -d 'Create the vault: a keyring slot and a recovery key where a keyring answers; a password otherwise (or with --no-keyring)'
complete -c tessera -n "__fish_tessera_needs_command" -a "add" -d 'Add one account to the vault (creating the vault on first use)'
complete -c tessera -n "__fish_tessera_needs_command" -a "import" -d 'Add the accounts of other apps\' backups and exports (Aegis, 2FAS, andOTP, Bitwarden, FreeOTP+, Ente Auth, ...), Google Authenticator export QR images, text files of links, links or stdin. Reports each entry: added, already in the vault, or refused with the reason'
complete -c tessera -n "__fish_tessera_needs_command" -a "export" -d 'Write every account to a backup or export file for another app'
complete -c tessera -n "__fish_tessera_needs_command" -a "sync" -d 'Merge the copies that sync tools (Syncthing, Nextcloud, Dropbox, OneDrive, Google Drive) left next to the vault when two computers changed it at once, and move each aside (`.merged`)'
complete -c tessera -n "__fish_tessera_needs_command" -a "list" -d 'List the vault\'s accounts (no secrets, no codes)'
complete -c tessera -n "__fish_tessera_needs_command" -a "remove" -d 'Remove an account'
complete -c tessera -n "__fish_tessera_needs_command" -a "rename" -d 'Change the issuer and/or the account name of an account'
complete -c tessera -n "__fish_tessera_needs_command" -a "passwd" -d 'Set or change the vault password. This rotates the data key and renews the recovery key. With --password-stdin: the current password (or recovery key) on the first line, the new one on the second'
complete -c tessera -n "__fish_tessera_needs_command" -a "keyring" -d 'Add or remove the OS keyring slot'
complete -c tessera -n "__fish_tessera_needs_command" -a "recovery" -d 'Replace the recovery key with a new one, shown once. This rotates the data key: the old key opens no later version of the vault'
complete -c tessera -n "__fish_tessera_needs_command" -a "backups" -d 'List the backups kept next to the vault: date, accounts and whether the credential given (--password-stdin, a prompt, or the keyring) opens each'
complete -c tessera -n "__fish_tessera_needs_command" -a "restore" -d 'Put a backup in place of the vault (the current file is kept as a backup first). The backup must open with the credential given'
complete -c tessera -n "__fish_tessera_needs_command" -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c tessera -n "__fish_tessera_needs_command" -a "man" -d 'Print the man page (roff), as installed by the package: tessera man | man -l -'
complete -c tessera -n "__fish_tessera_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tessera -n "__fish_tessera_using_subcommand scan" -l at -d 'Compute codes at this time (Unix seconds) instead of now' -r
complete -c tessera -n "__fish_tessera_using_subcommand scan" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand scan" -l json -d 'Print one JSON array with one object per source, including secrets'
complete -c tessera -n "__fish_tessera_using_subcommand scan" -l clipboard -d 'Also scan the clipboard: a QR image, or text with otpauth:// links'
complete -c tessera -n "__fish_tessera_using_subcommand scan" -l screen -d 'Also scan the screen: every QR code shown on any monitor (X11, or the XDG Screenshot portal on Wayland)'
complete -c tessera -n "__fish_tessera_using_subcommand scan" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand scan" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand code" -l at -d 'Compute the code at this time (Unix seconds) instead of now' -r
complete -c tessera -n "__fish_tessera_using_subcommand code" -l uri -d 'An otpauth:// link (- reads it from stdin)' -r
complete -c tessera -n "__fish_tessera_using_subcommand code" -l secret -d 'A Base32 key as shown by the site: spaces, dashes, any case (- reads it from stdin)' -r
complete -c tessera -n "__fish_tessera_using_subcommand code" -l type -d 'Token type for --secret (steam: Steam Guard, whose parameters are fixed)' -r -f -a "totp\t''
hotp\t''
steam\t''"
complete -c tessera -n "__fish_tessera_using_subcommand code" -l algorithm -d 'SHA1 (default), SHA256 or SHA512, for --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand code" -l digits -d 'Code length, 6 (default), 7 or 8, for --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand code" -l period -d 'TOTP period in seconds, 1 to 300 (default 30), for --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand code" -l counter -d 'HOTP counter (default 0), for --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand code" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand code" -l next -d 'Print the next code instead (next period for TOTP, counter+1 for HOTP)'
complete -c tessera -n "__fish_tessera_using_subcommand code" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand code" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand init" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand init" -l no-keyring -d 'Do not use the OS keyring: the vault opens with a password'
complete -c tessera -n "__fish_tessera_using_subcommand init" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand init" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand add" -l uri -d 'An otpauth:// link (- reads it from stdin)' -r
complete -c tessera -n "__fish_tessera_using_subcommand add" -l issuer -d 'The service, with --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand add" -l account -d 'The account name at that service, with --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand add" -l secret -d 'A Base32 key as shown by the site (- reads it from stdin)' -r
complete -c tessera -n "__fish_tessera_using_subcommand add" -l type -d 'Token type for --secret (steam: Steam Guard, whose parameters are fixed)' -r -f -a "totp\t''
hotp\t''
steam\t''"
complete -c tessera -n "__fish_tessera_using_subcommand add" -l algorithm -d 'SHA1 (default), SHA256 or SHA512, for --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand add" -l digits -d 'Code length, 6 (default), 7 or 8, for --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand add" -l period -d 'TOTP period in seconds, 1 to 300 (default 30), for --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand add" -l counter -d 'HOTP counter (default 0), for --secret' -r
complete -c tessera -n "__fish_tessera_using_subcommand add" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand add" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand add" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand import" -l backup-password-file -d 'Read the password of encrypted backups from the first line of PATH (without it, the password is asked on the terminal)' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand import" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand import" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand import" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand export" -l format -d 'tessera-backup (encrypted, the default), aegis-encrypted (readable by Aegis and GNOME Authenticator), aegis (plain), uris (otpauth links), migration-qr (Google Authenticator transfer QR codes, PNG files into the folder PATH), html (printable page of QR codes)' -r
complete -c tessera -n "__fish_tessera_using_subcommand export" -s o -l output -d 'The file to write (a folder for migration-qr). Created readable by you only' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand export" -l backup-password-file -d 'Read the password of an encrypted export from the first line of PATH (without it, the password is asked twice on the terminal)' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand export" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand export" -l force -d 'Replace existing files'
complete -c tessera -n "__fish_tessera_using_subcommand export" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand export" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand sync" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand sync" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand sync" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand list" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand list" -l json -d 'A JSON array of account objects with their ids'
complete -c tessera -n "__fish_tessera_using_subcommand list" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand list" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand remove" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand remove" -l yes -d 'Do not ask for confirmation'
complete -c tessera -n "__fish_tessera_using_subcommand remove" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand remove" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand rename" -l issuer -d 'New issuer ("" removes it)' -r
complete -c tessera -n "__fish_tessera_using_subcommand rename" -l account -d 'New account name' -r
complete -c tessera -n "__fish_tessera_using_subcommand rename" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand rename" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand rename" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand passwd" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand passwd" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand passwd" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand keyring" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand keyring" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand keyring" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand recovery" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand recovery" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand recovery" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand backups" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand backups" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand backups" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand restore" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand restore" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand restore" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand completions" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand completions" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tessera -n "__fish_tessera_using_subcommand man" -l vault -d 'The vault file [env: TESSERA_VAULT] [default: the platform data directory, e.g. ~/.local/share/tessera/vault.tessera]' -r -F
complete -c tessera -n "__fish_tessera_using_subcommand man" -l password-stdin -d 'Read the vault password (or recovery key) from the first line of standard input instead of the keyring or a terminal prompt'
complete -c tessera -n "__fish_tessera_using_subcommand man" -s h -l help -d 'Print help'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "scan" -d 'Read accounts from QR images, text files of otpauth links, links or stdin, and show them with their codes. Changes nothing on disk'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "code" -d 'Print the current (or next) code of a vault account, a key or an otpauth:// link'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "init" -d 'Create the vault: a keyring slot and a recovery key where a keyring answers; a password otherwise (or with --no-keyring)'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "add" -d 'Add one account to the vault (creating the vault on first use)'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "import" -d 'Add the accounts of other apps\' backups and exports (Aegis, 2FAS, andOTP, Bitwarden, FreeOTP+, Ente Auth, ...), Google Authenticator export QR images, text files of links, links or stdin. Reports each entry: added, already in the vault, or refused with the reason'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "export" -d 'Write every account to a backup or export file for another app'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "sync" -d 'Merge the copies that sync tools (Syncthing, Nextcloud, Dropbox, OneDrive, Google Drive) left next to the vault when two computers changed it at once, and move each aside (`.merged`)'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "list" -d 'List the vault\'s accounts (no secrets, no codes)'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "remove" -d 'Remove an account'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "rename" -d 'Change the issuer and/or the account name of an account'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "passwd" -d 'Set or change the vault password. This rotates the data key and renews the recovery key. With --password-stdin: the current password (or recovery key) on the first line, the new one on the second'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "keyring" -d 'Add or remove the OS keyring slot'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "recovery" -d 'Replace the recovery key with a new one, shown once. This rotates the data key: the old key opens no later version of the vault'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "backups" -d 'List the backups kept next to the vault: date, accounts and whether the credential given (--password-stdin, a prompt, or the keyring) opens each'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "restore" -d 'Put a backup in place of the vault (the current file is kept as a backup first). The backup must open with the credential given'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "man" -d 'Print the man page (roff), as installed by the package: tessera man | man -l -'
complete -c tessera -n "__fish_tessera_using_subcommand help; and not __fish_seen_subcommand_from scan code init add import export sync list remove rename passwd keyring recovery backups restore completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

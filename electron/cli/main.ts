/**
 * `token-vault`: the command line of Token Vault for SonarQube. It runs on plain Node, without
 * the app running: it reads the app's data folder (never writing to it but for the history of
 * uses) and the OS keychain the app keeps the values in.
 */
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../package.json';
import { redact } from '@core/redact';
import { clearLater, CLEAR_COMMAND } from './clipboard-clear';
import { copyCommand, listCommand, readCommand, runCommand, statusCommand } from './commands';
import { dataDir } from './data-dir';
import { CliError, errorText, EXIT } from './errors';
import { STATUS_EXIT } from './status';
import { keychainServiceFrom, type VaultLocation } from './vault';

const location: VaultLocation = { dataDir: dataDir(), keychainService: keychainServiceFrom() };

/** Where a usage error exits: `run` keeps 125 for its own failures, `status` 3 for "unknown". */
function usageExitCode(argv: readonly string[]): number {
  const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
  return command === 'run' ? EXIT.runFailed : command === 'status' ? STATUS_EXIT.unknown : EXIT.failed;
}

function program(): Command {
  const cli = new Command('token-vault')
    .description(
      'The command line of Token Vault for SonarQube: list your tokens and their time left, and use a value ' +
        "the vault holds (copy, read, run) without the app. It reads the app's data folder and the OS keychain; " +
        'it changes nothing but the history of uses.',
    )
    .version(version, '-V, --version')
    // `run`'s command keeps its own options: `token-vault run --token a/b mvn --version`.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(redact(text)) })
    .addHelpText(
      'after',
      `
Data folder:       ${location.dataDir}
                   (VAULT_DATA_DIR names another: tests, or a second vault)
Keychain service:  ${location.keychainService}
                   (VAULT_KEYCHAIN_SERVICE names another: tests, or a second vault)
Tokens are named <account>/<token>: the account by its label (any case) or id, as \`list\` shows.`,
    );

  cli
    .command('list')
    .description("every account and its tokens, from each account's last list: time left, held or not")
    .option('--json', 'a stable machine-readable shape (never a value)')
    .action((options: { json?: boolean }) => listCommand(location, options));

  cli
    .command('status')
    .description('one line; exit 0 all fine, 1 a token expiring, 2 a token expired or an account broken')
    .option('--no-keychain', 'do not ask the keychain (no prompt): credentials are not checked')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 expiring (within your warning thresholds), 2 expired or broken, 3 unknown.',
    )
    .action(async (options: { keychain: boolean }) => {
      process.exitCode = await statusCommand(location, options);
    });

  cli
    .command('copy')
    .description('copy a held value to the clipboard; cleared after the set time if it still holds it')
    .argument('<account/token>')
    .action((ref: string) => copyCommand(location, ref));

  cli
    .command('read')
    .description(
      'print a held value for a program (stdout a pipe or a file); on a terminal only with --reveal',
    )
    .argument('<account/token>')
    .option('--reveal', 'print it even to a terminal')
    .action((ref: string, options: { reveal?: boolean }) => readCommand(location, ref, options));

  cli
    .command('run')
    .description(
      "run a command with the value in its environment (and the server's URL); its output is masked",
    )
    .requiredOption('--token <account/token>', 'the token whose value the command gets')
    .option('--env <name>', 'the variable that holds the value', 'SONAR_TOKEN')
    .option('--host-env <name>', "the variable that holds the account's server URL", 'SONAR_HOST_URL')
    .argument('<command...>', 'the command and its arguments (after --, or after the options)')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
The value is masked as "<concealed by Token Vault>" wherever the command prints it; its output is
piped, so it may print as it does to a file (no colours). Exit status: the command's (128 + n for
signal n), 125 when token-vault fails before starting it, 126 when it cannot be run, 127 when it
is not found.`,
    )
    .action(async (command: string[], options: { token: string; env: string; hostEnv: string }) => {
      process.exitCode = await runCommand(location, command, options);
    });

  cli
    .command(CLEAR_COMMAND, { hidden: true })
    .addOption(new Option('--tool <name>').makeOptionMandatory())
    .addOption(new Option('--digest <sha256>').makeOptionMandatory())
    .addOption(new Option('--after <ms>').argParser(Number).makeOptionMandatory())
    .action(async (options: { tool: string; digest: string; after: number }) => {
      await clearLater(options.tool, options.digest, options.after);
    });

  return cli;
}

async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`| head`) ends the CLI quietly, as it ends any command in a pipe.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander printed its words already (help, version, or what was wrong).
      process.exitCode = error.exitCode === 0 ? 0 : usageExitCode(argv);
      return;
    }
    process.stderr.write(`token-vault: ${errorText(error)}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : EXIT.failed;
  }
}

await main(process.argv);

using System.CommandLine;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.KeyProtection;
using Gatehouse.Server.OAuth;
using Gatehouse.Storage;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse keys rotate-kek</c>: re-wraps every key stored in the database (signing keys, the
/// portal's key ring, the audit key) under a new key-encryption key, in one transaction, straight on the
/// database the server uses (no server needed). Reads the same variables as <c>serve</c>.
/// </summary>
internal static class RotateKekCommand
{
    public static Command Create(CliContext context)
    {
        var keys = new Command("keys", "Manage the keys Gatehouse stores in its database, wrapped under the key-encryption key.");
        keys.Subcommands.Add(CreateRotate(context));
        return keys;
    }

    private static Command CreateRotate(CliContext context)
    {
        var command = new Command("rotate-kek",
            $"Re-wrap every stored key under a new key-encryption key: the new key in {OAuthOptionsLoader.KeyEncryptionKeyVariable} (or _FILE), the old one in {OAuthOptionsLoader.PreviousKeyEncryptionKeysVariable} (or _FILE); the database from GATEHOUSE_DATA or GATEHOUSE_DATABASE, as for serve. One transaction: a wrong old key changes nothing. See docs/operations.md.")
            .With("""
                export GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS_FILE=/run/secrets/kek-old GATEHOUSE_KEY_ENCRYPTION_KEY_FILE=/run/secrets/kek
                gatehouse keys rotate-kek
                """);
        command.SetAction(async (_, ct) =>
        {
            GatehouseOptions server;
            OAuthOptions keys;
            try
            {
                server = GatehouseOptionsLoader.FromProcessEnvironment();
                keys = OAuthOptionsLoader.Load(new ConfigurationBuilder().AddEnvironmentVariables().Build());
            }
            catch (ConfigurationProblemException e)
            {
                return context.Fail(ExitCodes.Usage, e.Message);
            }

            if (KekRotation.MissingKeys(keys) is { } missing)
            {
                return context.Fail(ExitCodes.Usage, $"{KeyProtectionErrors.RotationKeysMissing}: {missing}");
            }

            var storage = new StorageOptions { DataDirectory = server.DataDirectory, PostgresConnectionString = server.DatabaseConnectionString };
            if (!storage.UsesPostgres && !File.Exists(storage.SqlitePath))
            {
                return context.Fail(ExitCodes.Usage, $"there is no Gatehouse database at {storage.SqlitePath}: set GATEHOUSE_DATA to the server's data folder, or GATEHOUSE_DATABASE to its PostgreSQL.");
            }

            var store = ServerStore.Create(server, keys, TimeProvider.System);
            try
            {
                await store.MigrateAsync(ct);
                var result = await KekRotation.RotateAsync(store, keys, ct);
                if (!result.Succeeded)
                {
                    return context.Fail(ExitCodes.Failed, $"{result.ErrorCode}: {result.ErrorMessage}");
                }

                var total = result.Rewrapped.Values.Sum();
                await context.Out.WriteLineAsync(total == 0
                    ? $"Nothing to re-wrap: every stored key is already wrapped under key-encryption key {result.KekId}."
                    : $"Re-wrapped {total} stored keys under key-encryption key {result.KekId} ({string.Join(", ", result.Rewrapped.Select(t => $"{t.Key}: {t.Value}"))}).");
                await context.Out.WriteLineAsync($"Start the server with {OAuthOptionsLoader.KeyEncryptionKeyVariable} set to the new key; {OAuthOptionsLoader.PreviousKeyEncryptionKeysVariable} is no longer needed.");
                return ExitCodes.Ok;
            }
            catch (StoredKeyException e)
            {
                // The store unwraps the audit key as it opens: a KEK it was not given stops here, before any write.
                return context.Fail(ExitCodes.Failed, $"{e.Message} Nothing was changed.");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Database unreachable or refused: one line, no stack trace.
                return context.Fail(ExitCodes.Failed, $"cannot rotate the key-encryption key: {e.Message}");
            }
            finally
            {
                if (store is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }
        });
        return command;
    }
}

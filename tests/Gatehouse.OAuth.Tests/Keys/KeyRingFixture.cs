using System.Security.Cryptography;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.Audit;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;

namespace Gatehouse.OAuth.Tests.Keys;

/// <summary>A migrated SQLite store in a temp folder and key rings over it, on a manual clock.</summary>
internal sealed class KeyRingFixture : IAsyncDisposable
{
    private readonly IGatehouseStore _store;

    private KeyRingFixture(string directory, IGatehouseStore store, ManualTimeProvider time, byte[] kek)
    {
        Directory = directory;
        Kek = kek;
        _store = store;
        Time = time;
        OAuth = OAuthStoreFactory.For(store, time);
    }

    public string Directory { get; }

    public ManualTimeProvider Time { get; }

    public IOAuthStore OAuth { get; }

    public byte[] Kek { get; }

    public OAuthOptions Options { get; } = new() { KeyRotation = TimeSpan.FromDays(10), KeyPublishLead = TimeSpan.FromDays(1) };

    public static async Task<KeyRingFixture> CreateAsync(DateTimeOffset start)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("gatehouse-keys-test-").FullName;
        var time = new ManualTimeProvider(start);
        var kek = RandomNumberGenerator.GetBytes(32);
        var store = GatehouseStoreFactory.Create(new StorageOptions { DataDirectory = directory }, time, new AuditKeyProtection(new KeyEncryption(kek)));
        await store.MigrateAsync();
        return new KeyRingFixture(directory, store, time, kek);
    }

    public KeyRing Ring(byte[]? kek = null) => new(OAuth, new KeyEncryption(kek ?? Kek), Options, Time);

    public async ValueTask DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

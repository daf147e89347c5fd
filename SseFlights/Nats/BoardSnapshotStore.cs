using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using Serilog;
using SseFlights.Cli;

namespace SseFlights.Nats;

/// <summary>
/// The newest board snapshot, in the JetStream key-value bucket <see cref="NatsLogOptions.BoardBucket"/>
/// under the key <see cref="Key"/>. Any number of replicas may write: a put only replaces an older
/// snapshot (compare-and-set on the key's revision), so the bucket never goes back in sequence.
/// </summary>
internal sealed class BoardSnapshotStore
{
    public const string Key = "board";

    /// <summary>Puts lost to another writer that are retried before giving up; each loss means a newer write landed.</summary>
    private const int Attempts = 5;

    private readonly INatsKVStore _store;
    private readonly string _where;
    private readonly ILogger _log;

    private BoardSnapshotStore(INatsKVStore store, string where, ILogger log) => (_store, _where, _log) = (store, where, log);

    /// <summary>Opens the bucket, creating it if missing (one value per key, on disk).</summary>
    public static async Task<BoardSnapshotStore> OpenAsync(NatsLog natsLog, ILogger log, CancellationToken cancellationToken)
    {
        var options = natsLog.Options;
        string where = $"the bucket {options.BoardBucket} at {options.DisplayUrl}";
        try
        {
            var store = await new NatsKVContext(natsLog.JetStream)
                .CreateOrUpdateStoreAsync(new NatsKVConfig(options.BoardBucket) { History = 1, Storage = NatsKVStorageType.File }, cancellationToken)
                .ConfigureAwait(false);
            return new BoardSnapshotStore(store, where, log.ForContext<BoardSnapshotStore>());
        }
        catch (NatsException ex)
        {
            throw new LogUnavailableException($"cannot open {where}: {NatsErrors.Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// Stores <paramref name="snapshot"/> unless the bucket already holds one at the same or a later
    /// sequence; true if it was stored.
    /// </summary>
    public async Task<bool> PutAsync(BoardSnapshot snapshot, CancellationToken cancellationToken)
    {
        byte[] value = snapshot.ToUtf8();
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                var current = await _store.TryGetEntryAsync<byte[]>(Key, cancellationToken: cancellationToken).ConfigureAwait(false);
                NatsResult<ulong> written;
                if (current.Success)
                {
                    if (BoardSnapshot.Parse(current.Value.Value).Snapshot is { } stored && stored.Sequence >= snapshot.Sequence)
                    {
                        return false;
                    }

                    written = await _store.TryUpdateAsync(Key, value, current.Value.Revision, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else if (current.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException)
                {
                    written = await _store.TryCreateAsync(Key, value, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    throw current.Error;
                }

                if (written.Success)
                {
                    return true;
                }

                if (written.Error is not (NatsKVWrongLastRevisionException or NatsKVCreateException) || attempt == Attempts)
                {
                    throw written.Error;
                }
            }
        }
        catch (NatsException ex)
        {
            throw new LogUnavailableException($"cannot store the board at sequence {snapshot.Sequence} in {_where}: {NatsErrors.Describe(ex)}", ex);
        }
    }

    /// <summary>The newest snapshot, or null when none was stored (or the stored value is unreadable, which is logged).</summary>
    public async Task<BoardSnapshot?> GetNewestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var current = await _store.TryGetEntryAsync<byte[]>(Key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!current.Success)
            {
                return current.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException ? null : throw current.Error;
            }

            var (snapshot, problem) = BoardSnapshot.Parse(current.Value.Value);
            if (problem is not null)
            {
                _log.Warning("The board snapshot in {Where} is unreadable ({Problem}); starting without it", _where, problem);
            }

            return snapshot;
        }
        catch (NatsException ex)
        {
            throw new LogUnavailableException($"cannot read the board snapshot in {_where}: {NatsErrors.Describe(ex)}", ex);
        }
    }
}

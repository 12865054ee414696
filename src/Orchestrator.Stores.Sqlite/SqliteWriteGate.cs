using System.Collections.Concurrent;

namespace Orchestrator.Stores.Sqlite;

/// <summary>
/// One write lock per database (per normalised connection string) for the whole process: the checkpoint store, the
/// memory store and the audit sink over one file take turns in a queue instead of meeting SQLite's busy lock, whose
/// handler retries by sleeping (up to 100 ms a time). Other processes are still kept apart by SQLite's own lock.
/// </summary>
internal static class SqliteWriteGate
{
    // Never removed or disposed: one small semaphore per database the process opens.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string normalisedConnectionString) => Gates.GetOrAdd(normalisedConnectionString, static _ => new SemaphoreSlim(1, 1));
}

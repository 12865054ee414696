namespace Orchestrator.Orleans.Hosting;

/// <summary>How the run grains of a silo keep runs alive across silo failures.</summary>
public sealed class OrleansRunGrainOptions
{
    /// <summary>
    /// The period of the durable reminder each unfinished run keeps: when its silo dies, the reminder's next tick
    /// (on a live silo) resumes the run from its checkpoint, so this bounds how long a run whose caller is not waiting
    /// stays stopped. Orleans refuses periods below its <c>ReminderOptions.MinimumReminderPeriod</c> (1 minute by
    /// default; keep that in production, lower it only in tests). Default: 1 minute.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a grain whose silo shuts down waits for its run to stop after handing it over (steps that ignore
    /// their cancellation are abandoned after it and re-run elsewhere with the same idempotency key). Default: 10 seconds.
    /// </summary>
    public TimeSpan HandOverTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

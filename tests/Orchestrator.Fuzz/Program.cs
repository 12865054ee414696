using Orchestrator.Fuzz;
using SharpFuzz;

// AFL++ drives this process through SharpFuzz (docs/fuzzing.md): each input is one workflow document. An exception
// that escapes LoadPlanTarget.Run, a stack overflow or a hang is reported by the fuzzer as a crash or a hang.
if (args.Length > 0)
{
    // Replay mode: `dotnet Orchestrator.Fuzz.dll FILE...` runs the given inputs once each, without the fuzzer.
    foreach (var path in args)
    {
        Console.WriteLine($"{path}: {LoadPlanTarget.Run(await File.ReadAllBytesAsync(path))} diagnostics");
    }

    return;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    LoadPlanTarget.Run(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
});

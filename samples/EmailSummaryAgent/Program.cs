Console.WriteLine("Orchestrator.Core sample: coming together.");

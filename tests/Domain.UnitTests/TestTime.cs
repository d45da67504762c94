namespace AuthPlatform.Domain.UnitTests;

/// <summary>Fixed UTC instants: domain tests are pure and never read the real clock.</summary>
internal static class TestTime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
}

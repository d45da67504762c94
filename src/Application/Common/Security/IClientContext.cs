namespace AuthPlatform.Application.Common.Security;

/// <summary>Where the current request comes from.</summary>
public interface IClientContext
{
    string? IpAddress { get; }

    string? UserAgent { get; }
}

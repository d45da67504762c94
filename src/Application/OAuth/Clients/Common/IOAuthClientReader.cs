namespace AuthPlatform.Application.OAuth.Clients.Common;

/// <summary>Reads clients for listing, without tracking and never with a secret's hash.</summary>
public interface IOAuthClientReader
{
    /// <summary>The clients of <paramref name="ownerId"/>, or everyone's when null; newest first.</summary>
    Task<IReadOnlyList<OAuthClientResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken);
}

namespace AuthPlatform.Application.Common.Security;

/// <summary>The scopes the operator has configured beside the built-in ones.</summary>
public interface IScopeCatalog
{
    IReadOnlyList<string> OperatorScopes { get; }

    bool IsKnown(string scope);
}

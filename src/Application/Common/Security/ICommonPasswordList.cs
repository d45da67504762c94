namespace AuthPlatform.Application.Common.Security;

/// <summary>A list of common and breached passwords shipped with the product (NIST SP 800-63B 3.1.1.2).</summary>
public interface ICommonPasswordList
{
    bool Contains(string password);
}

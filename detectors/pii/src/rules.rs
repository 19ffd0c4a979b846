//! The rule table: one rule (and rule id `pii.<name>`) per kind of personal data.

use warden_sdk::Severity;

/// A kind of personal data the detector recognizes. Each kind is one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Email,
    Phone,
    StreetAddress,
    UkPostcode,
    DateOfBirth,
    UsSsn,
    UsItin,
    UsEin,
    CreditCard,
    Iban,
    UsRoutingNumber,
    Ipv4,
    Ipv4Private,
    Ipv6,
    Ipv6Private,
    MacAddress,
    Passport,
    PassportMrz,
    DriversLicense,
    UkDrivingLicence,
    UkNino,
    CaSin,
    InAadhaar,
    InPan,
    EsDni,
    EsNie,
    ItCodiceFiscale,
    FrNir,
    DeSteuerId,
    BrCpf,
    NlBsn,
    AuTfn,
    SgNric,
    CnResidentId,
    BitcoinAddress,
    EthereumAddress,
}

/// Static description of a rule.
pub struct Rule {
    pub kind: Kind,
    /// The config name (`types:` key) and rule id suffix.
    pub name: &'static str,
    pub id: &'static str,
    /// What the message calls it.
    pub label: &'static str,
    pub severity: Severity,
    pub enabled_by_default: bool,
}

macro_rules! rules {
    ($( $kind:ident $name:literal $label:literal $sev:ident $on:literal ;)*) => {
        /// Every rule, in `Kind` order.
        pub const RULES: &[Rule] = &[
            $( Rule { kind: Kind::$kind, name: $name, id: concat!("pii.", $name), label: $label,
                      severity: Severity::$sev, enabled_by_default: $on }, )*
        ];
    };
}

rules! {
    Email "email" "email address" Medium true;
    Phone "phone" "phone number" Medium true;
    StreetAddress "street-address" "street address" Medium true;
    UkPostcode "uk-postcode" "UK postcode" Low true;
    DateOfBirth "date-of-birth" "date of birth" Medium true;
    UsSsn "us-ssn" "US Social Security number" High true;
    UsItin "us-itin" "US individual taxpayer identification number" High true;
    UsEin "us-ein" "US employer identification number" Medium true;
    CreditCard "credit-card" "payment card number" High true;
    Iban "iban" "IBAN bank account number" High true;
    UsRoutingNumber "us-routing-number" "US bank routing number" Medium true;
    Ipv4 "ipv4" "public IPv4 address" Low true;
    Ipv4Private "ipv4-private" "private or reserved IPv4 address" Info false;
    Ipv6 "ipv6" "public IPv6 address" Low true;
    Ipv6Private "ipv6-private" "private or reserved IPv6 address" Info false;
    MacAddress "mac-address" "MAC address" Low true;
    Passport "passport" "passport number" Medium true;
    PassportMrz "passport-mrz" "passport machine-readable zone" High true;
    DriversLicense "drivers-license" "driver's license number" High true;
    UkDrivingLicence "uk-driving-licence" "UK driving licence number" High true;
    UkNino "uk-nino" "UK National Insurance number" High true;
    CaSin "ca-sin" "Canadian Social Insurance Number" High true;
    InAadhaar "in-aadhaar" "Aadhaar number" High true;
    InPan "in-pan" "Indian PAN" High true;
    EsDni "es-dni" "Spanish DNI" High true;
    EsNie "es-nie" "Spanish NIE" High true;
    ItCodiceFiscale "it-codice-fiscale" "Italian codice fiscale" High true;
    FrNir "fr-nir" "French social security number (NIR)" High true;
    DeSteuerId "de-steuer-id" "German tax identification number" High true;
    BrCpf "br-cpf" "Brazilian CPF" High true;
    NlBsn "nl-bsn" "Dutch BSN" High true;
    AuTfn "au-tfn" "Australian tax file number" High true;
    SgNric "sg-nric" "Singapore NRIC/FIN" High true;
    CnResidentId "cn-resident-id" "Chinese resident identity card number" High true;
    BitcoinAddress "bitcoin-address" "Bitcoin address" Medium true;
    EthereumAddress "ethereum-address" "Ethereum address" Medium true;
}

impl Kind {
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind whose config name is `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        RULES.iter().find(|r| r.name == name).map(|r| r.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_kind_order() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.kind as usize, i, "{}", r.name);
        }
    }
}

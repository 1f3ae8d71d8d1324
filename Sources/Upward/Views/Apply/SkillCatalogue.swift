/// Skills suggested in the application form before any are in use.
enum SkillCatalogue {
    static let starters = [
        "AI tools", "Prompt writing", "Social media", "Data visualisation", "Spreadsheets", "Accessibility", "Hybrid work",
        "Inclusive language", "Gen Z expectations", "Public speaking", "Negotiation", "Strategy", "Budgeting", "Stakeholder management",
    ]
}

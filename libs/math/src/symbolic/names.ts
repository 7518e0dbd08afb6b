/**
 * First names for varying the people of a problem (GSM-Symbolic, Apple 2024, varies names as well as
 * numbers). The lists are ours, from many cultures; every name the seed file uses is in one of them so
 * that it can be found. A name's list says which pronouns go with it; neutral names go with whatever
 * pronouns the problem already uses, so they are only swapped for other neutral names.
 */

const FEMALE_NAMES: ReadonlyArray<string> = [
  // English-speaking
  "Amelia", "Ava", "Charlotte", "Chloe", "Claire", "Ella", "Emily", "Emma", "Grace", "Hannah",
  "Harper", "Isabella", "Jade", "Leah", "Lily", "Lucy", "Mia", "Naomi", "Olivia",
  "Sarah", "Sophie", "Zoe", "Abigail", "Alice", "Anna", "Beth",
  "Julia", "Kate", "Laura", "Megan", "Molly", "Nora", "Paige", "Rachel", "Stella",
  "Tessa", "Priscilla", "Peggy", "Wendy",
  // Spanish and Portuguese
  "Ana", "Beatriz", "Camila", "Carmen", "Elena", "Gabriela", "Ines", "Isabel", "Juana", "Lucia",
  "Luisa", "Marisol", "Paula", "Rosa", "Sofia", "Valentina", "Ximena", "Yolanda", "Adriana", "Daniela",
  // French, German, Italian, Nordic, Slavic
  "Amelie", "Chiara", "Clara", "Elise", "Francesca", "Giulia", "Greta", "Ingrid", "Lena", "Mila",
  "Anja", "Astrid", "Freya", "Hanna", "Katya", "Natasha", "Olga", "Petra", "Sabine", "Zofia",
  // South Asian
  "Aditi", "Ananya", "Deepa", "Divya", "Kavya", "Lakshmi", "Meera", "Neha", "Pooja", "Priya",
  "Riya", "Sanjana", "Shreya", "Sita",
  // East and Southeast Asian
  "Aiko", "Hana", "Haruka", "Jia", "Mei", "Ming", "Sakura", "Yuki",
  "Yuna", "Jiwoo", "Minji", "Linh",
  // Arabic, Persian, Turkish
  "Aisha", "Amira", "Fatima", "Layla", "Leila", "Mariam", "Nadia", "Noor", "Salma", "Yara",
  "Zainab", "Zara", "Elif", "Shirin", "Yasmin",
  // African
  "Abena", "Adaeze", "Amara", "Ama", "Chioma", "Efua", "Imani", "Makena", "Nia", "Nkechi",
  "Thandiwe", "Wanjiru", "Zawadi", "Ayodele", "Folake",
  // Other
  "Rita", "Eva", "Maya", "Vera", "Kiri", "Leilani", "Moana", "Talia", "Miriam",
  "Sara", "Alicia", "Bianca", "Nina", "Camille", "Elsa", "Monica", "Tanvi", "Nisha", "Farah",
  "Esi", "Kemi", "Heidi", "Ruth", "Dalia", "Lorena"
]

const MALE_NAMES: ReadonlyArray<string> = [
  // English-speaking
  "Ben", "Benjamin", "Daniel", "Ethan", "Felix", "Henry", "James", "Leo", "Liam",
  "Lucas", "Marcus", "Noah", "Oliver", "Oscar", "Owen", "Peter", "Theo", "Victor", "Adam",
  "Andrew", "Caleb", "Connor", "David", "Dylan", "Edward", "Finn", "George", "Harry", "Isaac",
  "Jacob", "Joseph", "Luke", "Mason", "Nathan", "Ryan", "Samuel", "Thomas", "William",
  "Simon", "Tyler", "Wesley", "Gavin",
  // Spanish and Portuguese
  "Carlos", "Diego", "Hugo", "Javier", "Jorge", "Luis", "Manuel", "Mateo", "Miguel", "Pablo",
  "Rafael", "Santiago", "Tomás", "Andres", "Emilio", "Joao", "Pedro", "Ricardo", "Sergio", "Alejandro",
  // French, German, Italian, Nordic, Slavic
  "Antoine", "Bruno", "Emil", "Giovanni", "Hans", "Jonas", "Lars", "Luca", "Marco", "Matteo",
  "Nils", "Pierre", "Stefan", "Sven", "Dmitri", "Ivan", "Mikhail", "Pavel", "Tomasz", "Viktor",
  // South Asian
  "Aarav", "Arjun", "Dev", "Nikhil", "Rahul", "Raj", "Ravi", "Rohan", "Sanjay",
  "Vikram", "Amit", "Anil", "Suresh",
  // East and Southeast Asian
  "Chen", "Haruto", "Hiroshi", "Kenji", "Minho", "Takeshi", "Wei", "Yong",
  "Jiho", "Bao", "Minh", "Tuan",
  // Arabic, Persian, Turkish
  "Ahmed", "Ali", "Hassan", "Karim", "Khalid", "Malik", "Omar", "Samir", "Tariq", "Yusuf",
  "Ibrahim", "Reza", "Darius", "Emre", "Mehmet",
  // African
  "Chidi", "Emeka", "Jabari", "Jamal", "Kofi", "Kwame", "Musa", "Obi", "Sipho", "Tendai",
  "Thabo", "Kwesi", "Olu", "Tunde", "Baraka",
  // Other
  "Mateus", "Nico", "Rafa", "Tane", "Koa", "Ezra", "Elias", "Levi", "Aziz", "Idris",
  "Aaron", "Gabriel", "Felipe", "Omari", "Hamid", "Rashid", "Ajay", "Kenta", "Haoran", "Arturo",
  "Nelson", "Patrick", "Chinedu", "Farid"
]

/** Names commonly given to anyone: they fit whatever pronouns the text uses. */
const NEUTRAL_NAMES: ReadonlyArray<string> = [
  "Jordan", "Alex", "Sam", "Taylor", "Casey", "Riley", "Morgan", "Jamie", "Avery", "Quinn",
  "Robin", "Charlie", "Skyler", "Rowan", "Sasha", "Kendall", "Reese", "Emerson", "Finley", "Dakota"
]

export type NameGender = "female" | "male" | "neutral"

export const NAMES: Readonly<Record<NameGender, ReadonlyArray<string>>> = {
  female: FEMALE_NAMES,
  male: MALE_NAMES,
  neutral: NEUTRAL_NAMES
}

const GENDER_OF = new Map<string, NameGender>()
for (const g of ["female", "male", "neutral"] as const) for (const n of NAMES[g]) if (!GENDER_OF.has(n)) GENDER_OF.set(n, g)

/** The list a first name is in, if any. */
export const genderOf = (name: string): NameGender | undefined => GENDER_OF.get(name)

/** Family names for people named by title ("Mr. Patel"): swapped for another, the title kept. */
export const SURNAMES: ReadonlyArray<string> = [
  "Patel", "Smith", "Johnson", "Brown", "Garcia", "Martinez", "Lopez", "Nguyen", "Tran", "Kim",
  "Park", "Lee", "Chen", "Wang", "Zhang", "Tanaka", "Suzuki", "Sato", "Okafor", "Mensah",
  "Adeyemi", "Banda", "Kamau", "Mwangi", "Haddad", "Khan", "Ahmed", "Hassan", "Yilmaz", "Kaya",
  "Rossi", "Bianchi", "Novak", "Kowalski", "Ivanov", "Petrov", "Schmidt", "Weber", "Dubois", "Moreau",
  "Silva", "Santos", "Costa", "Pereira", "Fernandez", "Romero", "Gomez", "Sharma", "Gupta", "Singh",
  "Reddy", "Iyer", "Murphy", "Kelly", "Walsh", "Jensen", "Larsen", "Andersson", "Cohen", "Levi"
]

const SURNAME_SET = new Set(SURNAMES)
export const isSurname = (word: string): boolean => SURNAME_SET.has(word)

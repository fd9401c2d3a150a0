// Loads only zod: part of the cold-start benchmark's breakdown.
import "zod";

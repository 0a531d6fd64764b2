#!/usr/bin/env python3
"""Write vend's small retail sample data set into sample-data/ (or the directory given).

Deterministic: a fixed seed and a self-contained PRNG (splitmix64, so the bytes do not
depend on the Python version's `random` module), integer cents, fixed dates, "\n" line
ends. Running it twice gives identical files. Standard library only.

Files (one header row each, UTF-8, ISO dates):
  customers.csv    customer_id, first_name, last_name, email, city, country, signup_date, loyalty_points
  products.csv     product_id, sku, name, category, unit_price
  orders.csv       order_id, customer_id, order_date, status, item_count, order_total
  order_lines.csv  order_id, line_number, product_id, quantity, unit_price, line_total
  payments.csv     payment_id, order_id, payment_date, method, amount
Keys: orders.customer_id -> customers; order_lines.order_id -> orders;
order_lines.product_id -> products; payments.order_id -> orders; per order, the sum of
line_total and the sum of payments.amount both equal order_total.
"""
import csv
import datetime
import io
import os
import sys
import unicodedata

SEED = 20240601
N_CUSTOMERS = 300
N_PRODUCTS = 200
N_ORDERS = 400
START = datetime.date(2024, 1, 1)


class Rng:
    """splitmix64: tiny, well known, identical on every platform."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def between(self, lo, hi):  # inclusive
        return lo + self.below(hi - lo + 1)

    def pick(self, seq):
        return seq[self.below(len(seq))]


FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
         "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
         "Thomas", "Sarah", "Daniel", "Karen", "Matthew", "Nancy", "Anthony", "Lisa",
         "Mark", "Emily", "Steven", "Anna", "Paul", "Laura", "Kevin", "Emma", "Brian", "Olivia"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson",
        "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young",
        "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill"]
# A handful of non-ASCII names (UTF-8), at fixed customer ids.
ACCENTED = {
    7: ("José", "Núñez"),
    23: ("Zoë", "Brontë"),
    41: ("François", "Lefèvre"),
    58: ("Jürgen", "Müller"),
    97: ("Søren", "Kierkegård"),
    133: ("Chloé", "Dubois"),
    171: ("Björn", "Åström"),
    229: ("Inês", "Conceição"),
}
PLACES = [("Seattle", "US"), ("Austin", "US"), ("Chicago", "US"), ("Boston", "US"),
          ("Denver", "US"), ("Toronto", "CA"), ("Vancouver", "CA"), ("London", "GB"),
          ("Manchester", "GB"), ("Dublin", "IE"), ("Berlin", "DE"), ("Paris", "FR"),
          ("Madrid", "ES"), ("Lisbon", "PT"), ("Stockholm", "SE"), ("Copenhagen", "DK")]
CATEGORIES = {
    "Kitchen": ["Chef Knife", "Cutting Board", "Saucepan", "Frying Pan", "Mixing Bowl", "Whisk"],
    "Outdoor": ["Tent", "Sleeping Bag", "Headlamp", "Water Bottle", "Trail Backpack", "Camp Stove"],
    "Electronics": ["Headphones", "USB-C Cable", "Power Bank", "Bluetooth Speaker", "Webcam", "Keyboard"],
    "Apparel": ["Rain Jacket", "Wool Socks", "Running Shoes", "Fleece Hoodie", "Cap", "Gloves"],
    "Home": ["Desk Lamp", "Throw Blanket", "Picture Frame", "Wall Clock", "Candle Set", "Vase"],
}
ADJECTIVES = ["Classic", "Pro", "Compact", "Deluxe", "Eco", "Lite", "Max", "Essential"]
PRICE_RANGE = {"Kitchen": (599, 14999), "Outdoor": (999, 39999), "Electronics": (799, 24999),
               "Apparel": (499, 18999), "Home": (899, 12999)}
STATUSES = ["delivered"] * 6 + ["shipped"] * 2 + ["processing"]
METHODS = ["card", "card", "card", "paypal", "bank_transfer"]


def ascii_fold(text):
    """José -> Jose, Søren -> Soren: for e-mail addresses."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()


def money(cents):
    return f"{cents // 100}.{cents % 100:02d}"


def customers(rng):
    rows = []
    for cid in range(1, N_CUSTOMERS + 1):
        first, last = ACCENTED.get(cid) or (rng.pick(FIRST), rng.pick(LAST))
        city, country = rng.pick(PLACES)
        email = f"{ascii_fold(first).lower()}.{ascii_fold(last).lower()}{cid}@example.com"
        signup = START - datetime.timedelta(days=rng.between(0, 730))
        rows.append([cid, first, last, email, city, country, signup.isoformat(), rng.between(0, 5000)])
    return rows


def products(rng):
    rows = []
    cats = sorted(CATEGORIES)
    for pid in range(1, N_PRODUCTS + 1):
        cat = cats[(pid - 1) % len(cats)]
        base = rng.pick(CATEGORIES[cat])
        name = f"{rng.pick(ADJECTIVES)} {base}"
        lo, hi = PRICE_RANGE[cat]
        price = rng.between(lo // 100, hi // 100) * 100 + 99  # x.99 prices
        rows.append([pid, f"{cat[:3].upper()}-{pid:05d}", name, cat, price])
    return rows


def orders_lines_payments(rng, customer_rows, product_rows):
    signup = {r[0]: datetime.date.fromisoformat(r[6]) for r in customer_rows}
    price = {r[0]: r[4] for r in product_rows}
    orders, lines, payments = [], [], []
    payment_id = 1
    for oid in range(1, N_ORDERS + 1):
        cid = rng.between(1, N_CUSTOMERS)
        order_date = max(signup[cid], START) + datetime.timedelta(days=rng.between(0, 180))
        n_lines = rng.between(1, 3)
        chosen = []
        while len(chosen) < n_lines:  # distinct products per order
            pid = rng.between(1, N_PRODUCTS)
            if pid not in chosen:
                chosen.append(pid)
        total = 0
        items = 0
        for line_number, pid in enumerate(chosen, start=1):
            qty = rng.between(1, 3)
            line_total = qty * price[pid]
            total += line_total
            items += qty
            lines.append([oid, line_number, pid, qty, money(price[pid]), money(line_total)])
        status = rng.pick(STATUSES)
        orders.append([oid, cid, order_date.isoformat(), status, items, money(total)])
        # Every order is paid in full: one payment, or a gift card part plus the rest.
        if total > 5000 and rng.below(5) == 0:
            gift = rng.between(10, 50) * 100
            parts = [("gift_card", gift), (rng.pick(METHODS), total - gift)]
        else:
            parts = [(rng.pick(METHODS), total)]
        for method, amount in parts:
            paid = order_date + datetime.timedelta(days=rng.between(0, 2))
            payments.append([payment_id, oid, paid.isoformat(), method, money(amount)])
            payment_id += 1
    return orders, lines, payments


def write_csv(path, header, rows):
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode("utf-8"))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "sample-data")
    os.makedirs(out, exist_ok=True)
    rng = Rng(SEED)
    c = customers(rng)
    p = products(rng)
    o, ol, pay = orders_lines_payments(rng, c, p)
    p_out = [[r[0], r[1], r[2], r[3], money(r[4])] for r in p]
    write_csv(os.path.join(out, "customers.csv"),
              ["customer_id", "first_name", "last_name", "email", "city", "country", "signup_date", "loyalty_points"], c)
    write_csv(os.path.join(out, "products.csv"),
              ["product_id", "sku", "name", "category", "unit_price"], p_out)
    write_csv(os.path.join(out, "orders.csv"),
              ["order_id", "customer_id", "order_date", "status", "item_count", "order_total"], o)
    write_csv(os.path.join(out, "order_lines.csv"),
              ["order_id", "line_number", "product_id", "quantity", "unit_price", "line_total"], ol)
    write_csv(os.path.join(out, "payments.csv"),
              ["payment_id", "order_id", "payment_date", "method", "amount"], pay)


if __name__ == "__main__":
    main()

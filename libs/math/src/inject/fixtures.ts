/** Hand-written verified GSM8K-style solutions for the injection tests: money, percent, fractions, 3–8 steps. */
export interface Fixture {
  readonly name: string
  readonly question: string
  readonly solution: string
  readonly answer: string
}

export const FIXTURES: readonly Fixture[] = [
  {
    name: "lemonade",
    question:
      "Maya sells cups of lemonade for $3 each. On Saturday she sold 42 cups and on Sunday she sold 35 cups. She spent $48 on lemons and sugar. How much profit did she make over the two days?",
    solution:
      "Over the two days she sold 42 + 35 = <<42+35=77>>77 cups.\nShe took in 77 * 3 = $<<77*3=231>>231.\nHer profit was 231 - 48 = $<<231-48=183>>183.\n#### 183",
    answer: "183"
  },
  {
    name: "jacket",
    question:
      "A jacket costs $120. It is on sale for 25% off, and Lena has a $15 coupon she uses after the discount. Sales tax of 10% is added to what she pays after the coupon. How much does she pay?",
    solution:
      "The discount is 120 * 25 / 100 = $<<120*25/100=30>>30.\nThe sale price is 120 - 30 = $<<120-30=90>>90.\nWith the coupon the price is 90 - 15 = $<<90-15=75>>75.\nThe tax is 75 * 10 / 100 = $<<75*10/100=7.5>>7.50.\nShe pays 75 + 7.50 = $<<75+7.5=82.5>>82.50.\n#### 82.50",
    answer: "82.50"
  },
  {
    name: "tank",
    question:
      "A water tank holds 2,400 liters when full. It is 3/8 full. A pump adds 75 liters every minute. How many minutes will it take to fill the tank?",
    solution:
      "The tank now holds 2400 * 3 / 8 = <<2400*3/8=900>>900 liters.\nIt needs 2400 - 900 = <<2400-900=1500>>1,500 more liters.\nFilling it takes 1500 / 75 = <<1500/75=20>>20 minutes.\n#### 20",
    answer: "20"
  },
  {
    name: "buses",
    question:
      "A bus leaves the first stop at 6 a.m. and then one leaves every 15 minutes until the last bus at 9 a.m. Each bus carries 40 passengers. How many passengers can the buses carry in total?",
    solution:
      "The buses run for 9 - 6 = <<9-6=3>>3 hours.\nThat is 3 * 60 = <<3*60=180>>180 minutes.\nThere are 180 / 15 = <<180/15=12>>12 gaps between buses.\nSo there are 12 + 1 = <<12+1=13>>13 buses.\nTogether they carry 13 * 40 = <<13*40=520>>520 passengers.\n#### 520",
    answer: "520"
  },
  {
    name: "fence",
    question:
      "A rectangular garden is 14 meters long and 9 meters wide. Fencing costs $6.50 per meter, and the gardener has worked there for 12 years. How much does it cost to fence the whole garden?",
    solution:
      "The garden has two long sides of 14 meters and two short sides of 9 meters.\nThe fence is 14 + 9 + 14 + 9 = <<14+9+14+9=46>>46 meters long.\nIt costs 46 * 6.50 = $<<46*6.5=299>>299.\n#### 299",
    answer: "299"
  },
  {
    name: "wages",
    question:
      "Omar works 8 hours a day for 5 weekdays and 6 hours on Saturday. He earns $18 an hour. He spends 1/4 of his weekly pay on rent and saves half of what is left. How much does he save each week?",
    solution:
      "On weekdays he works 8 * 5 = <<8*5=40>>40 hours.\nWith Saturday he works 40 + 6 = <<40+6=46>>46 hours.\nHe earns 46 * 18 = $<<46*18=828>>828.\nRent takes 828 / 4 = $<<828/4=207>>207.\nHe has 828 - 207 = $<<828-207=621>>621 left.\nHe saves 621 / 2 = $<<621/2=310.5>>310.50.\n#### 310.50",
    answer: "310.50"
  },
  {
    name: "bottles",
    question:
      "A factory makes 1,850 bottles an hour for 16 hours a day, 6 days a week. 2% of the bottles fail inspection. The good bottles are packed in cases of 24. How many full cases does it pack each week?",
    solution:
      "Each day it makes 1850 * 16 = <<1850*16=29600>>29,600 bottles.\nEach week it makes 29600 * 6 = <<29600*6=177600>>177,600 bottles.\nOf these, 177600 * 2 / 100 = <<177600*2/100=3552>>3,552 fail.\nSo 177600 - 3552 = <<177600-3552=174048>>174,048 bottles pass.\nThey fill 174048 / 24 = <<174048/24=7252>>7,252 cases.\n#### 7252",
    answer: "7252"
  },
  {
    name: "party",
    question:
      "Priya plans a party for 24 guests. Each guest gets 2 slices of pizza and each pizza has 8 slices. Pizzas cost $11.25 each. She also buys 3 bottles of juice at $2.40 each and a cake for $18. She has a $200 budget. How much of the budget is left?",
    solution:
      "The guests eat 24 * 2 = <<24*2=48>>48 slices.\nShe needs 48 / 8 = <<48/8=6>>6 pizzas.\nThe pizzas cost 6 * 11.25 = $<<6*11.25=67.5>>67.50.\nThe juice costs 3 * 2.40 = $<<3*2.4=7.2>>7.20.\nPizza and juice come to 67.50 + 7.20 = $<<67.5+7.2=74.7>>74.70.\nWith the cake she spends 74.70 + 18 = $<<74.7+18=92.7>>92.70.\nShe has 200 - 92.70 = $<<200-92.7=107.3>>107.30 left.\nThat is $107.30 of her budget.\n#### 107.30",
    answer: "107.30"
  },
  {
    name: "piano",
    question: "Lucas practices piano for 45 minutes every day. How many hours does he practice in 2 weeks?",
    solution:
      "Two weeks have 2 * 7 = <<2*7=14>>14 days.\nHe practices 45 * 14 = <<45*14=630>>630 minutes.\nThat is 630 / 60 = <<630/60=10.5>>10.5 hours.\n#### 10.5",
    answer: "10.5"
  },
  {
    name: "school",
    question: "A school has 540 students. 45% of them walk to school and 1/3 take the bus. The rest are driven. How many students are driven?",
    solution:
      "540 * 45 / 100 = <<540*45/100=243>>243 students walk.\n540 / 3 = <<540/3=180>>180 students take the bus.\n243 + 180 = <<243+180=423>>423 students walk or take the bus.\nSo 540 - 423 = <<540-423=117>>117 students are driven.\n#### 117",
    answer: "117"
  },
  {
    name: "gym",
    question:
      "A gym charges $5 per visit, or $45 for a pass good for 10 visits. Jon visits the gym 30 times a month. How much does he save each month by buying passes?",
    solution:
      "He visits 30 times, so paying $5 each costs 30 * 5 = $<<30*5=150>>150.\nHe needs 30 / 10 = <<30/10=3>>3 passes.\nThe passes cost 3 * 45 = $<<3*45=135>>135.\nHe saves 150 - 135 = $<<150-135=15>>15.\n#### 15",
    answer: "15"
  }
]
